/// URI encoding as SigV4 defines it: every byte except the RFC 3986 unreserved set
/// (`A-Z a-z 0-9 - . _ ~`) becomes `%XX` with uppercase hex.
public enum PercentEncoding {
    private static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Whether `byte` is in the unreserved set and is never encoded.
    @inline(__always)
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        // Plain comparisons: range patterns here were left as unspecialized `contains` calls on the hot path.
        let folded = byte | 0x20
        return (folded >= 0x61 && folded <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E || byte == 0x5F
            || byte == 0x7E
    }

    /// Appends the encoding of `bytes` to `buffer`; `/` stays as it is when `keepingSlash` is set.
    @inline(__always)
    public static func append(_ bytes: some Sequence<UInt8>, to buffer: inout [UInt8], keepingSlash: Bool) {
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == 0x2F) {
                buffer.append(byte)
            } else {
                buffer.append(0x25)
                buffer.append(upperHex[Int(byte >> 4)])
                buffer.append(upperHex[Int(byte & 0x0F)])
            }
        }
    }

    /// Appends the encoding of contiguous bytes; the fast path every other overload ends in.
    ///
    /// It writes into scratch space and appends once, so there is one capacity check, not one per byte.
    static func append(buffer bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], keepingSlash: Bool) {
        // Names, dates and most keys need no escape: then they are copied whole.
        if bytes.allSatisfy({ isUnreserved($0) || (keepingSlash && $0 == 0x2F) }) { return out.append(contentsOf: bytes) }
        out.appendInPlace(maximumCount: bytes.count * 3) { target in write(bytes, into: target, keepingSlash: keepingSlash) }
    }

    /// Writes the encoding of `bytes` into `target`, which has room for three bytes per byte; returns how many it wrote.
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, into target: UnsafeMutableBufferPointer<UInt8>, keepingSlash: Bool) -> Int {
        upperHex.withUnsafeBufferPointer { hex in
            var index = 0
            for byte in bytes {
                if isUnreserved(byte) || (keepingSlash && byte == 0x2F) {
                    target[index] = byte
                    index += 1
                } else {
                    target[index] = 0x25
                    target[index + 1] = hex[Int(byte >> 4)]
                    target[index + 2] = hex[Int(byte & 0x0F)]
                    index += 3
                }
            }
            return index
        }
    }

    /// Writes the encoding of `text`'s UTF-8 into `target`, which has room for three bytes per byte; returns how many
    /// it wrote. For callers that build a string in place (`String(unsafeUninitializedCapacity:initializingUTF8With:)`).
    public static func write(string text: String, into target: UnsafeMutableBufferPointer<UInt8>, keepingSlash: Bool) -> Int {
        return text.withUTF8Bytes { write($0, into: target, keepingSlash: keepingSlash) }
    }

    /// Appends the encoding of `text`'s UTF-8 to `out`; `/` stays as it is when `keepingSlash` is set.
    public static func append(string text: String, to out: inout [UInt8], keepingSlash: Bool) {
        text.withUTF8Bytes { append(buffer: $0, to: &out, keepingSlash: keepingSlash) }
    }

    /// The encoding of `text`; `/` stays as it is when `keepingSlash` is set.
    ///
    /// `PercentEncoding.encode("a b/ü", keepingSlash: true)` is `a%20b/%C3%BC`.
    public static func encode(_ text: String, keepingSlash: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        append(string: text, to: &out, keepingSlash: keepingSlash)
        return String(decoding: out, as: UTF8.self)
    }

    /// The encoding of a substring.
    public static func encode(_ text: Substring, keepingSlash: Bool = false) -> String {
        encode(String(text), keepingSlash: keepingSlash)
    }

    /// Whether `wire` is already exactly what decoding and re-encoding it would give: only unreserved bytes
    /// (and `/`), and escapes with uppercase hex of bytes that must be escaped.
    static func isCanonical(_ wire: some Collection<UInt8>, keepingSlash: Bool) -> Bool {
        var pending = 0
        var value: UInt8 = 0
        for byte in wire {
            if pending > 0 {
                guard (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) else { return false }
                value = value << 4 | (HexDigit.value(byte) ?? 0)
                pending -= 1
                if pending == 0, isUnreserved(value) || (keepingSlash && value == 0x2F) { return false }
            } else if byte == 0x25 {
                pending = 2
                value = 0
            } else if !(isUnreserved(byte) || (keepingSlash && byte == 0x2F)) {
                return false
            }
        }
        return pending == 0
    }

    /// Re-encodes an already (maybe partly) encoded component canonically: decoded once, encoded once.
    /// A malformed escape is encoded as literal bytes, so `%zz` becomes `%25zz`.
    static func appendCanonical(_ wire: some Collection<UInt8>, to buffer: inout [UInt8], keepingSlash: Bool) {
        // The usual case, a path or value already canonical, checked and copied as contiguous bytes.
        let copied = wire.withContiguousStorageIfAvailable { bytes in
            guard isCanonical(bytes, keepingSlash: keepingSlash) else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        if copied == nil, isCanonical(wire, keepingSlash: keepingSlash) {
            buffer.append(contentsOf: wire)
        } else if !wire.contains(0x25) {
            append(wire, to: &buffer, keepingSlash: keepingSlash)
        } else if let decoded = PercentDecoding.decodeBytes(wire) {
            append(decoded, to: &buffer, keepingSlash: keepingSlash)
        } else {
            append(wire, to: &buffer, keepingSlash: keepingSlash)
        }
    }
}
