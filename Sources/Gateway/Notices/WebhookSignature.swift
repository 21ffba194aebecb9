import Crypto
import Foundation

/// Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-signature: v1,<base64 HMAC-SHA256 of
/// "<webhook-id>.<webhook-timestamp>.<body>">` under the secret's key, so the specification's verifiers work as they are.
enum WebhookSignature {
    static let prefix = "whsec_"

    /// A new secret: `whsec_` and base64 of 24 random bytes.
    static func newSecret() -> String { prefix + Data(SymmetricKey(size: .bits192).withUnsafeBytes { Array($0) }).base64EncodedString() }

    /// The key of a secret, or nil when it is not `whsec_` and base64 of 24 to 64 bytes.
    static func key(of secret: String) -> [UInt8]? {
        guard secret.hasPrefix(prefix), let bytes = Data(base64Encoded: String(secret.dropFirst(prefix.count))), (24...64).contains(bytes.count)
        else { return nil }
        return Array(bytes)
    }

    /// The `webhook-signature` header's value.
    static func sign(id: String, timestamp: Int64, body: [UInt8], key: [UInt8]) -> String {
        let signed = Array("\(id).\(timestamp).".utf8) + body
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }
}
