/// Writes compact JSON objects by hand, for answers on a hot path where `JSONEncoder` costs more than the work the
/// answer reports (the gateway's upload plans and ids). The caller writes keys in sorted order; the bytes are then
/// exactly the ones `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]` (the tests compare the two on
/// every shape the gateway writes this way).
///
/// ```swift
/// var json = JSONObjectWriter()
/// json.beginObject()
/// json.field("id", "abc")
/// json.field("size", 12 as Int64)
/// json.endObject()        // json.bytes == {"id":"abc","size":12}
/// ```
public struct JSONObjectWriter {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []
    /// How many objects are open.
    private var depth = 0
    /// Bit `n` set: the object open at depth `n + 1` has a field already. A bit set, not an array, so that a writer
    /// allocates nothing but its bytes (objects nest a few deep; more than 64 is a programming error).
    private var hasFields: UInt64 = 0

    /// - Parameter capacity: the bytes to reserve up front (a plan is about 2 KiB).
    public init(capacity: Int = 1_024) { bytes.reserveCapacity(capacity) }

    /// Opens an object: `{`.
    public mutating func beginObject() {
        precondition(depth < 64, "JSONObjectWriter: objects nested more than 64 deep")
        bytes.append(0x7B)
        hasFields &= ~(1 << depth)
        depth += 1
    }

    /// Closes the innermost open object: `}`.
    public mutating func endObject() {
        precondition(depth > 0, "JSONObjectWriter: endObject without beginObject")
        bytes.append(0x7D)
        depth -= 1
    }

    /// Writes `"name":`, after a comma unless it is the object's first field.
    public mutating func key(_ name: String) {
        let bit: UInt64 = 1 << (depth - 1)
        if hasFields & bit == 0 { hasFields |= bit } else { bytes.append(0x2C) }
        string(name)
        bytes.append(0x3A)
    }

    /// A string field; nothing when `value` is nil.
    public mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    /// A whole-number field; nothing when `value` is nil.
    public mutating func field(_ name: String, _ value: Int64?) {
        guard let value else { return }
        key(name)
        bytes.write(decimal: value)
    }

    /// An object of strings with its keys sorted; nothing when `value` is nil.
    public mutating func field(_ name: String, _ value: [String: String]?) {
        guard let value else { return }
        key(name)
        beginObject()
        for (entryKey, entryValue) in value.sorted(by: { $0.key < $1.key }) { field(entryKey, entryValue) }
        endObject()
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\b \f \n \r \t` or `\u00XX`, `/` as it is.
    public mutating func string(_ value: String) {
        bytes.append(0x22)
        value.withUTF8Bytes { utf8 in
            guard let base = utf8.baseAddress else { return }
            // Runs of bytes that need no escape are copied whole; they are looked through eight bytes at a time.
            var runStart = 0
            var index = 0
            while index < utf8.count {
                while index + 8 <= utf8.count, !Self.needsEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                }
                guard index < utf8.count else { break }
                let byte = base[index]
                if byte < 0x20 || byte == 0x22 || byte == 0x5C {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    appendEscape(byte)
                    runStart = index + 1
                }
                index += 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(0x22)
    }

    /// Whether any of the eight bytes of `word` is below 0x20, `"` or `\` (the classic SWAR tests for a byte below a
    /// bound and for a zero byte; they never miss one, and a rare false alarm only sends those bytes one by one).
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highs != 0
    }

    private mutating func appendEscape(_ byte: UInt8) {
        switch byte {
        case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
        case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
        case 0x08: bytes.append(contentsOf: [0x5C, 0x62])
        case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])
        case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
        case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }
}
