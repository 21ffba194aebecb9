import Crypto
import Foundation

/// The key of one (secret, date, region, service): `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")`.
///
/// The key also holds its HMAC pads absorbed (``PrecomputedHMAC``), so each signature costs two SHA-256
/// finalizations rather than a full HMAC setup.
public struct SigningKey: Sendable {
    let key: SymmetricKey
    private let hmac: PrecomputedHMAC

    /// Derives the key; four HMACs, so callers cache it (see ``SigningKeyCache``).
    public init(secretAccessKey: String, dateStamp: String, region: String, service: String) {
        var key = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        for part in [dateStamp, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        self.key = key
        self.hmac = PrecomputedHMAC(key: key)
    }

    /// The key's bytes in lowercase hex (for known-answer tests; never log it).
    public var hex: String { key.withUnsafeBytes { Hex.string($0) } }

    /// `hex(HMAC(key, message))`, the signature of a string to sign.
    public func signature(of message: some DataProtocol) -> String {
        String(decoding: signatureBytes(of: message), as: UTF8.self)
    }

    /// The raw `HMAC-SHA256(key, message)`.
    public func authenticationCode(of message: some DataProtocol) -> SHA256.Digest {
        if let code = message.withContiguousStorageIfAvailable({ authenticationCode(bufferPointer: UnsafeRawBufferPointer($0)) }) {
            return code
        }
        return Array(message).withUnsafeBytes { authenticationCode(bufferPointer: $0) }
    }

    /// `HMAC(key, message)` of contiguous bytes, without going through `DataProtocol`'s regions.
    func authenticationCode(bufferPointer message: UnsafeRawBufferPointer) -> SHA256.Digest {
        hmac.authenticationCode(bufferPointer: message)
    }

    /// Appends the 64 lowercase hex bytes of `HMAC(key, message)` to `out`.
    func appendSignature(of message: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        authenticationCode(bufferPointer: message).withUnsafeBytes { Hex.append(raw: $0, to: &out) }
    }

    /// The 64 lowercase hex bytes of `HMAC(key, message)`.
    func signatureBytes(of message: some DataProtocol) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        authenticationCode(of: message).withUnsafeBytes { Hex.append(raw: $0, to: &out) }
        return out
    }
}

extension SigningKey {
    /// The derived key as a `SymmetricKey`, for tests that compare with swift-crypto's HMAC.
    var symmetricKey: SymmetricKey { key }
}
