/// The one percent-decoder, for paths and query values (RFC 3986 §2.1). `+` stays a plus sign.
public enum PercentDecoding {
    /// Decodes `%XX` escapes into bytes; `nil` for a `%` not followed by two hex digits.
    public static func decodeBytes(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            if byte == 0x25 {
                guard let high = iterator.next().flatMap(HexDigit.value), let low = iterator.next().flatMap(HexDigit.value) else { return nil }
                out.append(high << 4 | low)
            } else {
                out.append(byte)
            }
        }
        return out
    }

    /// Decodes `%XX` escapes into text; `nil` when an escape is malformed or the bytes are not UTF-8.
    public static func decode(_ text: some StringProtocol) -> String? {
        guard text.utf8.contains(0x25) else { return String(text) }
        guard let bytes = decodeBytes(text.utf8) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// Hexadecimal digits.
public enum HexDigit {
    /// The value of one hex digit (either case), or nil.
    @inline(__always)
    public static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
