import S3Client

/// The static pages (`/`, `/static/…`) and the security headers every page carries.
struct PageService: Sendable {
    let presigner: S3Presigner
    let pages: StaticFiles
    /// `gateway.cspReportURL`: where browsers report what the policy blocked.
    var cspReportURL: String? = nil
    /// The pages' catalogs, read from the same folder (`i18n-en.json`, …).
    var localizer: PageLocalizer

    init(presigner: S3Presigner, pages: StaticFiles, cspReportURL: String? = nil) {
        self.presigner = presigner
        self.pages = pages
        self.cspReportURL = cspReportURL
        self.localizer = PageLocalizer(catalogs: PageCatalogs(files: pages))
    }
}
