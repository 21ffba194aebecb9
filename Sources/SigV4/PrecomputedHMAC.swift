import Crypto

/// HMAC-SHA256 with its key's pads already absorbed (RFC 2104), and optionally a message prefix too.
///
/// Each code then costs the message's own SHA-256 blocks and two finalizations, instead of the key schedule and the
/// generic `DataProtocol` path of `HMAC<SHA256>`. It is a value: each copy hashes on its own (SHA-256 state is copied
/// on write), so one keyed value serves any number of threads.
public struct PrecomputedHMAC: Sendable {
    private var inner: SHA256
    private let outer: SHA256

    /// Keys `key`; a key longer than SHA-256's 64-byte block is hashed first, as RFC 2104 says.
    public init(key: UnsafeRawBufferPointer) {
        var innerPad = [UInt8](repeating: 0x36, count: 64)
        var outerPad = [UInt8](repeating: 0x5C, count: 64)
        let pad = { (bytes: UnsafeRawBufferPointer) in
            for (index, byte) in bytes.enumerated() {
                innerPad[index] ^= byte
                outerPad[index] ^= byte
            }
        }
        if key.count > 64 {
            var hash = SHA256()
            hash.update(bufferPointer: key)
            hash.finalize().withUnsafeBytes(pad)
        } else {
            pad(key)
        }
        inner = SHA256()
        inner.update(data: innerPad)
        var outer = SHA256()
        outer.update(data: outerPad)
        self.outer = outer
    }

    /// Keys the UTF-8 of `key`.
    public init(key: String) {
        self = key.withUTF8Bytes { Self(key: UnsafeRawBufferPointer($0)) }
    }

    /// Keys `key`.
    public init(key: SymmetricKey) {
        self = key.withUnsafeBytes { Self(key: $0) }
    }

    /// Absorbs `prefix` into every code this value makes from now on: `code(m)` is then `HMAC(key, prefix + m)`.
    public mutating func absorb(_ prefix: UnsafeRawBufferPointer) {
        inner.update(bufferPointer: prefix)
    }

    /// ``absorb(_:)-(UnsafeRawBufferPointer)`` of an array's bytes.
    public mutating func absorb(_ prefix: [UInt8]) { prefix.withUnsafeBytes { absorb($0) } }

    /// ``authenticationCode(bufferPointer:)`` of a string's UTF-8.
    public func authenticationCode(for text: String) -> SHA256.Digest {
        var text = text
        return text.withUTF8 { authenticationCode(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    /// ``authenticationCode(bufferPointer:)`` of an array's bytes.
    public func authenticationCode(for message: [UInt8]) -> SHA256.Digest {
        message.withUnsafeBytes { authenticationCode(bufferPointer: $0) }
    }

    /// `HMAC(key, prefix + message)`.
    public func authenticationCode(bufferPointer message: UnsafeRawBufferPointer) -> SHA256.Digest {
        var inner = inner
        inner.update(bufferPointer: message)
        let innerDigest = inner.finalize()
        var outer = outer
        innerDigest.withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }
}
