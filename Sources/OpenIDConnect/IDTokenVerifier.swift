import Foundation
import HTTPWire

/// Verifies ID tokens for one relying party (OpenID Connect Core §3.1.3.7): a compact JWS signed with RS256 or ES256
/// by a key of the provider's JWKS, from `issuer`, for `clientID`, unexpired, issued not in the future, and carrying
/// the nonce of the sign-in it answers. Times are compared with at most `allowedSkew` seconds of slack.
public struct IDTokenVerifier: Sendable {
    public var issuer: String
    public var clientID: String
    public var keys: KeySetCache
    public var allowedSkew: Int64
    /// The clock, in seconds since 1970.
    public var now: @Sendable () -> Int64

    /// A token longer than this is refused before it is decoded.
    public static let maximumLength = 16 * 1024

    public init(
        issuer: String, clientID: String, keys: KeySetCache, allowedSkew: Int64 = 60,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.keys = keys
        self.allowedSkew = allowedSkew
        self.now = now
    }

    private struct Header: Decodable {
        var alg: String
        var kid: String?
        var crit: [String]?
    }

    /// The token's claims, once every check passed; the expected `nonce` is compared in constant time.
    public func verify(_ token: String, nonce expectedNonce: String) throws(OIDCError) -> IDTokenClaims {
        let parts = try Self.parts(of: token)
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(parts.header)) else {
            throw OIDCError(.malformedToken, "The ID token's header is not a JSON object with alg.")
        }
        guard header.alg == "RS256" || header.alg == "ES256" else {
            throw OIDCError(.unsupportedAlgorithm, "The ID token is signed with \(header.alg); RS256 and ES256 are accepted.")
        }
        guard header.crit == nil else { throw OIDCError(.malformedToken, "The ID token's header has critical extensions.") }
        let key = try keys.key(id: header.kid)
        guard key.algorithm == header.alg else {
            throw OIDCError(.unsupportedAlgorithm, "The ID token says \(header.alg), but its key verifies \(key.algorithm) only.")
        }
        guard key.verifies(parts.signature, of: parts.signingInput) else {
            throw OIDCError(.badSignature, "The ID token's signature does not verify under the provider's key.")
        }
        let claims = try IDTokenClaims(payload: parts.payload)
        try check(claims, nonce: expectedNonce)
        return claims
    }

    func check(_ claims: IDTokenClaims, nonce expectedNonce: String) throws(OIDCError) {
        let clock = now()
        guard claims.issuer == issuer else { throw OIDCError(.badClaims, "The ID token's issuer is '\(claims.issuer)', not '\(issuer)'.") }
        guard claims.audiences.contains(clientID) else { throw OIDCError(.badClaims, "The ID token is not for this client (aud).") }
        if claims.audiences.count > 1 || claims.authorizedParty != nil {
            guard claims.authorizedParty == clientID else { throw OIDCError(.badClaims, "The ID token was issued to another party (azp).") }
        }
        guard clock < claims.expiresAt + allowedSkew else { throw OIDCError(.badClaims, "The ID token has expired.") }
        guard claims.issuedAt <= clock + allowedSkew else { throw OIDCError(.badClaims, "The ID token is issued in the future (iat).") }
        if let notBefore = claims.notBefore, notBefore > clock + allowedSkew {
            throw OIDCError(.badClaims, "The ID token is not valid yet (nbf).")
        }
        guard let nonce = claims.nonce, ConstantTime.equals(Array(nonce.utf8), Array(expectedNonce.utf8)) else {
            throw OIDCError(.badClaims, "The ID token's nonce is not the one of this sign-in.")
        }
    }

    /// The three base64url parts of a compact JWS (RFC 7515 §7.1), read by position: exactly two dots, each part
    /// non-empty base64url.
    static func parts(of token: String) throws(OIDCError) -> (header: [UInt8], payload: [UInt8], signature: [UInt8], signingInput: [UInt8]) {
        let bytes = Array(token.utf8)
        guard bytes.count <= maximumLength else { throw OIDCError(.malformedToken, "The ID token is longer than \(maximumLength) bytes.") }
        let dots = bytes.indices.filter { bytes[$0] == 0x2E }
        guard dots.count == 2 else { throw OIDCError(.malformedToken, "The ID token is not a compact JWS of three parts.") }
        let headerText = bytes[..<dots[0]]
        let payloadText = bytes[(dots[0] + 1)..<dots[1]]
        let signatureText = bytes[(dots[1] + 1)...]
        guard !headerText.isEmpty, !payloadText.isEmpty, !signatureText.isEmpty,
            let header = Base64URL.decode(String(decoding: headerText, as: UTF8.self)),
            let payload = Base64URL.decode(String(decoding: payloadText, as: UTF8.self)),
            let signature = Base64URL.decode(String(decoding: signatureText, as: UTF8.self))
        else { throw OIDCError(.malformedToken, "A part of the ID token is not base64url.") }
        return (header, payload, signature, Array(bytes[..<dots[1]]))
    }
}
