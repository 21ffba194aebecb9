import Foundation

/// What an OpenID provider says of itself at `{issuer}/.well-known/openid-configuration` (OpenID Connect Discovery
/// 1.0 §3), read strictly: the `issuer` must be exactly the configured one (§4.3), and every endpoint must be https,
/// or http on a loopback host when the deployment allows it (tests, a provider on the same machine).
public struct ProviderMetadata: Sendable, Equatable {
    public var issuer: String
    public var authorizationEndpoint: URL
    public var tokenEndpoint: URL
    public var jwksURI: URL
    /// RP-initiated logout, when the provider offers it.
    public var endSessionEndpoint: URL?
    /// The device authorization endpoint (RFC 8628), when the provider offers it.
    public var deviceAuthorizationEndpoint: URL?
    public var codeChallengeMethods: [String]

    private struct Document: Decodable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String
        var endSessionEndpoint: String?
        var deviceAuthorizationEndpoint: String?
        var codeChallengeMethodsSupported: [String]?

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
            case endSessionEndpoint = "end_session_endpoint"
            case deviceAuthorizationEndpoint = "device_authorization_endpoint"
            case codeChallengeMethodsSupported = "code_challenge_methods_supported"
        }
    }

    /// Reads a discovery document fetched for `expectedIssuer`.
    public init(json: [UInt8], expectedIssuer: String, allowsLoopbackHTTP: Bool = false) throws(OIDCError) {
        guard json.count <= 256 * 1024, let document = try? JSONDecoder().decode(Document.self, from: Data(json)) else {
            throw OIDCError(
                .badProviderMetadata, "The discovery document is not JSON with issuer, authorization_endpoint, token_endpoint and jwks_uri.")
        }
        guard document.issuer == expectedIssuer else {
            throw OIDCError(.badProviderMetadata, "The discovery document names the issuer '\(document.issuer)', not '\(expectedIssuer)'.")
        }
        func endpoint(_ text: String, _ name: String) throws(OIDCError) -> URL {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
                scheme == "https" || (scheme == "http" && allowsLoopbackHTTP && Self.isLoopback(host))
            else {
                throw OIDCError(.badProviderMetadata, "The provider's \(name) '\(text)' is not an https URL.")
            }
            return url
        }
        issuer = document.issuer
        authorizationEndpoint = try endpoint(document.authorizationEndpoint, "authorization_endpoint")
        tokenEndpoint = try endpoint(document.tokenEndpoint, "token_endpoint")
        jwksURI = try endpoint(document.jwksURI, "jwks_uri")
        endSessionEndpoint = try document.endSessionEndpoint.map { (text) throws(OIDCError) in try endpoint(text, "end_session_endpoint") }
        deviceAuthorizationEndpoint = try document.deviceAuthorizationEndpoint.map { (text) throws(OIDCError) in
            try endpoint(text, "device_authorization_endpoint")
        }
        codeChallengeMethods = document.codeChallengeMethodsSupported ?? []
    }

    /// The discovery document's address for `issuer` (§4: the issuer, a trailing slash dropped, then the well-known path).
    public static func discoveryURL(issuer: String) -> URL? {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        return URL(string: base + "/.well-known/openid-configuration")
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
