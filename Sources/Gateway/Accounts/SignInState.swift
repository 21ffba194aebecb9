/// What one sign-in must find again when the provider sends the browser back: the `state` it sent, the `nonce` the
/// ID token must carry, the PKCE verifier, and where to go after. Kept in a signed cookie for ten minutes, on the
/// callback's path only, so gateways stay stateless and a callback without it fails.
struct SignInState: Codable, Sendable {
    static let purpose = "signin"
    static let cookieName = "dg_signin"
    static let lifetime: Int64 = 600
    static let path = "/auth/callback"

    var state: String
    var nonce: String
    var verifier: String
    var returnTo: String
    var expiresAt: Int64

    /// A local path to go back to: it starts with one `/` and leaves this site for none (`//host`, `/\host`).
    static func localPath(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.hasPrefix("/\\"), text.utf8.count <= 512,
            !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        else { return "/" }
        return text
    }
}
