import Crypto
import Foundation
import HTTPWire
import _CryptoExtras

/// A public key that may verify ID tokens, with the one algorithm it verifies: an RSA key (2048 bits or more)
/// verifies RS256 only, a P-256 key ES256 only, so a token cannot choose how its signature is read.
public enum VerificationKey: Sendable {
    case rsa(_RSA.Signing.PublicKey)
    case p256(P256.Signing.PublicKey)

    /// The JWS `alg` this key verifies.
    public var algorithm: String {
        switch self {
        case .rsa: "RS256"
        case .p256: "ES256"
        }
    }

    /// Whether `signature` signs `signingInput` (the JWS's `header.payload` bytes) under this key.
    func verifies(_ signature: [UInt8], of signingInput: [UInt8]) -> Bool {
        switch self {
        case .rsa(let key):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: signingInput, padding: .insecurePKCS1v1_5)
        case .p256(let key):
            // JWS ES256 signatures are r ‖ s, 32 bytes each (RFC 7518 §3.4), never DER.
            guard signature.count == 64, let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: signingInput)
        }
    }
}

/// A provider's JSON Web Key Set (RFC 7517), as the keys that may sign ID tokens, by `kid`.
///
/// Keys meant for encryption (`use: enc`), of another type or curve, with an `alg` other than their type's, or that
/// do not parse are left out rather than refusing the whole set, as a provider may publish keys for other purposes.
public struct JSONWebKeySet: Sendable {
    public var keys: [String: VerificationKey]
    /// The key of a set with exactly one usable key and no `kid`, for tokens that name none.
    public var onlyKey: VerificationKey?

    private struct Document: Decodable {
        struct Key: Decodable {
            var kty: String
            var kid: String?
            var use: String?
            var alg: String?
            var n: String?
            var e: String?
            var crv: String?
            var x: String?
            var y: String?
        }
        var keys: [Key]
    }

    public init(json: [UInt8]) throws(OIDCError) {
        guard json.count <= 256 * 1024, let document = try? JSONDecoder().decode(Document.self, from: Data(json)) else {
            throw OIDCError(.badProviderMetadata, "The JWKS is not JSON with a keys array.")
        }
        var keys: [String: VerificationKey] = [:]
        var usable: [VerificationKey] = []
        for key in document.keys.prefix(100) where key.use == nil || key.use == "sig" {
            guard let parsed = Self.key(key) else { continue }
            usable.append(parsed)
            if let kid = key.kid, keys[kid] == nil { keys[kid] = parsed }
        }
        self.keys = keys
        self.onlyKey = usable.count == 1 ? usable[0] : nil
    }

    private static func key(_ key: Document.Key) -> VerificationKey? {
        switch key.kty {
        case "RSA":
            guard key.alg == nil || key.alg == "RS256", let n = key.n.flatMap(Base64URL.decode), let e = key.e.flatMap(Base64URL.decode),
                let publicKey = try? _RSA.Signing.PublicKey(n: n, e: e)
            else { return nil }
            return .rsa(publicKey)
        case "EC":
            guard key.crv == "P-256", key.alg == nil || key.alg == "ES256", let x = key.x.flatMap(Base64URL.decode),
                let y = key.y.flatMap(Base64URL.decode), x.count == 32, y.count == 32,
                let publicKey = try? P256.Signing.PublicKey(rawRepresentation: x + y)
            else { return nil }
            return .p256(publicKey)
        default:
            return nil
        }
    }
}
