/// The bytes of JSON scalars as ``CompactJSONEncoder`` writes them, and as Foundation's `JSONEncoder` does with
/// `.withoutEscapingSlashes`: `"` and `\` escaped, control characters as `\b \f \n \r \t` or `\u00XX`, everything
/// else (`/`, non-ASCII) as it is.
enum JSONText {
    /// Appends `value` as a JSON string.
    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(0x22)
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(byte, to: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        out.append(0x22)
    }

    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(0x5C)
        switch byte {
        case 0x22, 0x5C: out.append(byte)
        case 0x08: out.append(0x62)
        case 0x0C: out.append(0x66)
        case 0x0A: out.append(0x6E)
        case 0x0D: out.append(0x72)
        case 0x09: out.append(0x74)
        default: out.append(contentsOf: [0x75, 0x30, 0x30, Hex.digit(byte >> 4), Hex.digit(byte & 0x0F)])
        }
    }

    /// The JSON of a floating-point number as Foundation writes it: a whole number without a fraction (`3`), else
    /// Swift's shortest form that reads back exactly (`0.1`, `1e+300`). Infinity and NaN have none.
    static func number(_ value: Double) -> [UInt8]? {
        guard value.isFinite else { return nil }
        if value == 0 { return Array((value.sign == .minus ? "-0" : "0").utf8) }
        if value.rounded() == value, abs(value) < 1e15 { return Array(String(Int64(value)).utf8) }
        return Array("\(value)".utf8)
    }
}
