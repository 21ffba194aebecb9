import DropgateAPI
import Foundation
import Logging
import S3Client

/// Uploads: declarations and their plans, resumable parts, and the completion that checks what arrived and hands it
/// to ``ShareService``.
struct UploadService: Sendable, Presigning {
    let settings: GatewaySettings
    let client: S3Client
    let presigner: S3Presigner
    let metrics: GatewayMetrics
    let logger: Logger
    let now: @Sendable () -> Date
    /// The signing secret of upload ids and receipts.
    let secret: String
    /// The source of object keys' random part.
    let random: RandomBytes
    /// libmagic, for the upload check's look at the first bytes.
    let sniffer: ContentSniffer
    let access: AccessGuard
    let sharing: ShareService
    /// The public URL without trailing slashes, for the shell command's completion.
    let publicBase: String

    /// What clients need before they declare an upload (`GET /api/limits`).
    var limits: UploadLimits {
        UploadLimits(
            maxBytes: settings.uploads.maxBytes, allowedTypes: settings.uploads.allowedTypes, hashLimit: 64 * 1024 * 1024,
            tokenRequired: !settings.auth.uploadTokens.isEmpty, transfer: transferPolicy, mail: settings.mail.isEnabled ? true : nil)
    }
}
