import Foundation

/// What an unlock cookie carries: the share it opens and until when, signed with the gateway's secret.
struct ShareUnlock: Codable, Sendable {
    static let purpose = "unlock"
    static let cookieName = "dg_unlock"
    /// Seconds an entered password keeps a share open in that browser.
    static let lifetime: Int64 = 3_600

    var share: String
    var expiresAt: Int64
    /// The salt of the password it was opened with: once the owner changes the password, the cookie opens nothing.
    /// Absent in cookies from before passwords could change.
    var salt: String? = nil
}
