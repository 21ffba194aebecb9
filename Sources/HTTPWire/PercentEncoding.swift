/// URI encoding as SigV4 defines it (and as every other S3 URL and header value wants it): every byte except the RFC 3986 unreserved set
/// (`A-Z a-z 0-9 - . _ ~`) becomes `%XX` with uppercase hex.
public enum PercentEncoding {
    /// Bit `b` is set for each unreserved byte `b` below 0x40 (`-`, `.`, `0-9`), and for each at `0x40 + b` (`A-Z`,
    /// `_`, `a-z`, `~`) in ``unreservedHigh``.
    @usableFromInline static let unreservedLow: UInt64 = 0x03FF_6000_0000_0000
    @usableFromInline static let unreservedHigh: UInt64 = 0x47FF_FFFE_87FF_FFFE
    /// `/`, which a path keeps.
    @usableFromInline static let slashBit: UInt64 = 1 << 0x2F

    /// Whether `byte` is in the unreserved set and is never encoded.
    @inlinable @inline(__always)
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        isKept(byte, low: unreservedLow)
    }

    /// Whether `byte` is kept as it is, where `low` is ``unreservedLow``, with ``slashBit`` when `/` is kept too.
    @inlinable @inline(__always)
    public static func isKept(_ byte: UInt8, low: UInt64) -> Bool {
        // Two table words instead of a chain of comparisons: one shift and one test per byte.
        let word = byte < 0x40 ? low : unreservedHigh
        return byte < 0x80 && (word >> UInt64(byte & 0x3F)) & 1 != 0
    }

    @inlinable @inline(__always)
    public static func lowWord(keepingSlash: Bool) -> UInt64 {
        keepingSlash ? unreservedLow | slashBit : unreservedLow
    }

    /// The uppercase hex digit of `nibble` (0...15).
    @inlinable @inline(__always)
    public static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 &+ nibble : 0x37 &+ nibble
    }

    /// Appends the encoding of `bytes` to `buffer`; `/` stays as it is when `keepingSlash` is set.
    @inlinable @inline(__always)
    public static func append(_ bytes: some Sequence<UInt8>, to buffer: inout [UInt8], keepingSlash: Bool) {
        append(sequence: bytes, to: &buffer, keepingSlash: keepingSlash)
    }

    /// Writes the encoding of `bytes` to `buffer`; `/` stays as it is when `keepingSlash` is set.
    @inlinable @inline(__always)
    public static func append<Sink: ByteSink & ~Copyable>(sequence bytes: some Sequence<UInt8>, to buffer: inout Sink, keepingSlash: Bool) {
        let low = lowWord(keepingSlash: keepingSlash)
        for byte in bytes {
            if isKept(byte, low: low) {
                buffer.write(byte)
            } else {
                buffer.write(0x25)
                buffer.write(hexDigit(byte >> 4))
                buffer.write(hexDigit(byte & 0x0F))
            }
        }
    }

    /// Appends the encoding of contiguous bytes; the fast path every other overload ends in.
    ///
    /// The bytes before the first that needs an escape are copied whole (for names, dates and most keys, that is
    /// all of them); the rest is written into scratch space and appended once, so there is one capacity check, not
    /// one per byte.
    @inlinable
    public static func append<Sink: ByteSink & ~Copyable>(buffer bytes: UnsafeBufferPointer<UInt8>, to out: inout Sink, keepingSlash: Bool) {
        let low = lowWord(keepingSlash: keepingSlash)
        var clean = 0
        while clean < bytes.count, isKept(bytes[clean], low: low) { clean &+= 1 }
        out.write(UnsafeBufferPointer(rebasing: bytes[..<clean]))
        guard clean < bytes.count else { return }
        let rest = UnsafeBufferPointer(rebasing: bytes[clean...])
        out.writeInPlace(maximumCount: rest.count * 3) { target in write(rest, into: target, keepingSlash: keepingSlash) }
    }

    /// Writes the encoding of `bytes` into `target`, which has room for three bytes per byte; returns how many it wrote.
    @inlinable
    public static func write(_ bytes: UnsafeBufferPointer<UInt8>, into target: UnsafeMutableBufferPointer<UInt8>, keepingSlash: Bool) -> Int {
        let low = lowWord(keepingSlash: keepingSlash)
        var index = 0
        for byte in bytes {
            if isKept(byte, low: low) {
                target[index] = byte
                index &+= 1
            } else {
                target[index] = 0x25
                target[index &+ 1] = hexDigit(byte >> 4)
                target[index &+ 2] = hexDigit(byte & 0x0F)
                index &+= 3
            }
        }
        return index
    }

    /// Writes the encoding of `text`'s UTF-8 into `target`, which has room for three bytes per byte; returns how many
    /// it wrote. For callers that build a string in place (`String(unsafeUninitializedCapacity:initializingUTF8With:)`).
    @inlinable
    public static func write(string text: String, into target: UnsafeMutableBufferPointer<UInt8>, keepingSlash: Bool) -> Int {
        return text.withUTF8Bytes { write($0, into: target, keepingSlash: keepingSlash) }
    }

    /// Appends the encoding of `text`'s UTF-8 to `out`; `/` stays as it is when `keepingSlash` is set.
    @inlinable
    public static func append(string text: String, to out: inout [UInt8], keepingSlash: Bool) {
        append(encoding: text, to: &out, keepingSlash: keepingSlash)
    }

    /// Writes the encoding of `text`'s UTF-8 to `out`; `/` stays as it is when `keepingSlash` is set.
    @inlinable @inline(__always)
    public static func append<Sink: ByteSink & ~Copyable>(encoding text: String, to out: inout Sink, keepingSlash: Bool) {
        text.withUTF8Bytes { append(buffer: $0, to: &out, keepingSlash: keepingSlash) }
    }

    /// The encoding of `text`; `/` stays as it is when `keepingSlash` is set.
    ///
    /// `PercentEncoding.encode("a b/ü", keepingSlash: true)` is `a%20b/%C3%BC`.
    @inlinable
    public static func encode(_ text: String, keepingSlash: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        append(string: text, to: &out, keepingSlash: keepingSlash)
        return String(decoding: out, as: UTF8.self)
    }

    /// The encoding of a substring.
    @inlinable
    public static func encode(_ text: Substring, keepingSlash: Bool = false) -> String {
        encode(String(text), keepingSlash: keepingSlash)
    }

    /// Whether `wire` is already exactly what decoding and re-encoding it would give: only unreserved bytes
    /// (and `/`), and escapes with uppercase hex of bytes that must be escaped.
    @inlinable
    public static func isCanonical(_ wire: some Collection<UInt8>, keepingSlash: Bool) -> Bool {
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
    @inlinable
    public static func appendCanonical<Sink: ByteSink & ~Copyable>(_ wire: some Collection<UInt8>, to buffer: inout Sink, keepingSlash: Bool) {
        // The usual case, a path or value already canonical, checked and copied as contiguous bytes.
        let copied = wire.withContiguousStorageIfAvailable { bytes in
            guard isCanonical(bytes, keepingSlash: keepingSlash) else { return false }
            buffer.write(bytes)
            return true
        }
        if copied == true { return }
        if copied == nil, isCanonical(wire, keepingSlash: keepingSlash) {
            for byte in wire { buffer.write(byte) }
        } else if !wire.contains(0x25) {
            append(sequence: wire, to: &buffer, keepingSlash: keepingSlash)
        } else if let decoded = PercentDecoding.decodeBytes(wire) {
            append(sequence: decoded, to: &buffer, keepingSlash: keepingSlash)
        } else {
            append(sequence: wire, to: &buffer, keepingSlash: keepingSlash)
        }
    }
}
