import Crypto
import Foundation
import HTTPWire
import OpenIDConnect
import _CryptoExtras

/// Signing keys and a JWKS for verifier tests. The interop tests sign in against a real provider; these pin each
/// check of the verifier to one token that breaks only it.
struct TestProvider {
    static let issuer = "https://idp.test/realms/dropgate"
    static let clientID = "dropgate"
    static let now: Int64 = 1_780_000_000
    static let rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let rotatedRSA = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let ec = P256.Signing.PrivateKey()

    static func jwk(rsa key: _RSA.Signing.PrivateKey, kid: String) -> String {
        let primitives = try! key.publicKey.getKeyPrimitives()
        return
            #"{"kty":"RSA","kid":"\#(kid)","use":"sig","alg":"RS256","n":"\#(Base64URL.encode(Array(primitives.modulus)))","e":"\#(Base64URL.encode(Array(primitives.publicExponent)))"}"#
    }

    static func jwk(ec key: P256.Signing.PrivateKey, kid: String) -> String {
        let raw = Array(key.publicKey.rawRepresentation)
        return
            #"{"kty":"EC","kid":"\#(kid)","crv":"P-256","x":"\#(Base64URL.encode(Array(raw[..<32])))","y":"\#(Base64URL.encode(Array(raw[32...])))"}"#
    }

    static func jwks(_ keys: [String]) -> [UInt8] { Array(#"{"keys":[\#(keys.joined(separator: ","))]}"#.utf8) }

    static let standardKeys = jwks([jwk(rsa: rsa, kid: "rsa-1"), jwk(ec: ec, kid: "ec-1")])

    static func claims(_ changes: [String: Any] = [:]) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": issuer, "sub": "user-42", "aud": clientID, "exp": now + 300, "iat": now - 5, "nonce": "the-nonce",
            "email": "ada@example.org", "groups": ["staff", "admins"],
        ]
        for (name, value) in changes { claims[name] = value is NSNull ? nil : value }
        return claims
    }

    enum Signer {
        case rsa(_RSA.Signing.PrivateKey)
        case ec(P256.Signing.PrivateKey)
    }

    /// A compact JWS of `claims` under `header`, signed by `signer`.
    static func token(_ claims: [String: Any], header: [String: Any] = ["alg": "RS256", "kid": "rsa-1"], signer: Signer = .rsa(rsa)) -> String {
        let head = Base64URL.encode(Array(try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])))
        let body = Base64URL.encode(Array(try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])))
        let input = Array("\(head).\(body)".utf8)
        let signature: [UInt8] =
            switch signer {
            case .rsa(let key): Array(try! key.signature(for: input, padding: .insecurePKCS1v1_5).rawRepresentation)
            case .ec(let key): Array(try! key.signature(for: input).rawRepresentation)
            }
        return "\(head).\(body).\(Base64URL.encode(signature))"
    }
}
