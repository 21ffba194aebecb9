import Crypto
import Foundation

/// The key of one (secret, date, region, service): `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")`.
///
/// The key also holds the SHA-256 states after its HMAC inner and outer pads (RFC 2104), so each
/// signature costs two SHA-256 finalizations rather than a full HMAC setup.
public struct SigningKey: Sendable {
    let key: SymmetricKey
    private let innerState: SHA256
    private let outerState: SHA256

    /// Derives the key; four HMACs, so callers cache it (see ``SigningKeyCache``).
    public init(secretAccessKey: String, dateStamp: String, region: String, service: String) {
        var key = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        for part in [dateStamp, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        self.key = key
        // RFC 2104: the 32-byte key is zero-padded to SHA-256's 64-byte block and XORed with 0x36 / 0x5c.
        var innerPad = [UInt8](repeating: 0x36, count: 64)
        var outerPad = [UInt8](repeating: 0x5C, count: 64)
        key.withUnsafeBytes { bytes in
            for (index, byte) in bytes.enumerated() {
                innerPad[index] ^= byte
                outerPad[index] ^= byte
            }
        }
        var inner = SHA256()
        inner.update(data: innerPad)
        var outer = SHA256()
        outer.update(data: outerPad)
        self.innerState = inner
        self.outerState = outer
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
        var inner = innerState
        inner.update(bufferPointer: message)
        let innerDigest = inner.finalize()
        var outer = outerState
        innerDigest.withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
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
    public var symmetricKeyForTests: SymmetricKey { key }
}
