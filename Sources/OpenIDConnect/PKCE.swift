import Crypto
import HTTPWire

/// Proof Key for Code Exchange (RFC 7636) with S256, and the random `state` and `nonce` of one sign-in.
public struct PKCE: Sendable, Equatable {
    /// Kept by the relying party until the code is exchanged; 43 characters of base64url (32 random bytes).
    public var verifier: String
    /// Sent with the authorization request: base64url(SHA-256(verifier)).
    public var challenge: String { Self.challenge(for: verifier) }
    public static let method = "S256"

    public init(verifier: String) { self.verifier = verifier }

    /// A new verifier from the system's random generator.
    public static func random() -> PKCE { PKCE(verifier: randomToken()) }

    public static func challenge(for verifier: String) -> String { Base64URL.encode(SHA256.hash(data: Array(verifier.utf8))) }

    /// 32 random bytes as base64url: for `state`, `nonce` and the verifier.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
