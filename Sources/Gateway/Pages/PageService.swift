import S3Client

/// The static pages (`/`, `/static/…`) and the security headers every page carries.
struct PageService: Sendable {
    let presigner: S3Presigner
    let pages: StaticFiles
    /// `gateway.cspReportURL`: where browsers report what the policy blocked.
    var cspReportURL: String? = nil
}
