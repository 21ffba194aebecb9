import Foundation
import Logging
import S3Client

/// Shares: their records and links, the pages and downloads behind `/s/{id}`, passwords, collections and revocation.
struct ShareService: Sendable, Presigning {
    let settings: GatewaySettings
    let client: S3Client
    let presigner: S3Presigner
    let shares: ShareStore
    let metrics: GatewayMetrics
    let logger: Logger
    let now: @Sendable () -> Date
    /// The signing secret of share ids, delete tokens, receipts and unlock cookies.
    let secret: String
    let access: AccessGuard
    /// The public URL without trailing slashes: every link starts from it.
    let publicBase: String
    /// Where events of shares and requests go (webhooks).
    let notices: NoticeCenter
    /// Each share's downloads, with no address kept.
    let downloadLog: DownloadLog
}
