/// Why an OpenID provider's answer or an ID token was refused. The message names the problem and never carries a
/// token, a code or a secret.
public struct OIDCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of refusal this is, for callers that answer each differently.
    public enum Reason: String, Sendable {
        /// The discovery document or the JWKS is not what OpenID Connect Discovery says.
        case badProviderMetadata
        /// The token is not a compact JWS of the expected form.
        case malformedToken
        /// The token's algorithm is not one accepted (RS256, ES256), or does not match its key.
        case unsupportedAlgorithm
        /// No key of the provider's JWKS has the token's `kid`, even after fetching it again.
        case unknownKey
        /// The signature does not verify.
        case badSignature
        /// `iss`, `aud`, `azp`, `exp`, `iat`, `nbf`, `sub` or `nonce` is not what it must be.
        case badClaims
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}
