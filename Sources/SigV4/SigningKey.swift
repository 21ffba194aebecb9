import Crypto
import Foundation

/// The key of one (secret, date, region, service): `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")`.
public struct SigningKey: Sendable {
    let key: SymmetricKey

    /// Derives the key; four HMACs, so callers cache it (see ``SigningKeyCache``).
    public init(secretAccessKey: String, dateStamp: String, region: String, service: String) {
        var key = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        for part in [dateStamp, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        self.key = key
    }

    /// The key's bytes in lowercase hex (for known-answer tests; never log it).
    public var hex: String { key.withUnsafeBytes { Hex.string($0) } }

    /// `hex(HMAC(key, message))`, the signature of a string to sign.
    public func signature(of message: some DataProtocol & Sendable) -> String {
        String(decoding: signatureBytes(of: message), as: UTF8.self)
    }

    /// The 64 lowercase hex bytes of `HMAC(key, message)`.
    func signatureBytes(of message: some DataProtocol) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        Hex.append(HMAC<SHA256>.authenticationCode(for: message, using: key), to: &out)
        return out
    }
}
