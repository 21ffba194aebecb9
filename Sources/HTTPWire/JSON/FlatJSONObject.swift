/// A flat JSON object of strings and whole numbers, read without `JSONDecoder`, for request bodies on a hot path: one
/// object, each member a string without escapes or control characters or a whole number of at most 15 digits, each
/// name once. Anything else (an escape, a nested value, `null`, `true`, a fraction or an exponent, a repeated name,
/// bad UTF-8, trailing bytes) gives nil, and the caller reads the body with `JSONDecoder`, which then gives the answer
/// or the error it always gave. What this reads, it reads exactly as `JSONDecoder` would (the tests compare the two on
/// a corpus of bodies and on every one-byte change of them).
///
/// ```swift
/// let object = FlatJSONObject(Array(#"{"name":"a.txt","size":12}"#.utf8))
/// object?.members   // [("name", .string("a.txt")), ("size", .wholeNumber(12))]
/// ```
public struct FlatJSONObject: Sendable {
    /// A member's value.
    public enum Value: Sendable, Equatable {
        case string(String)
        case wholeNumber(Int64)
    }

    /// The most members read; an object with more is left to the general reader.
    public static let maximumMembers = 32

    /// The members, in the order the body has them.
    public private(set) var members: [(name: String, value: Value)] = []

    public init?(_ bytes: [UInt8]) {
        guard
            let members = bytes.withUnsafeBufferPointer({ buffer -> [(name: String, value: Value)]? in
                var reader = FlatJSONReader(bytes: buffer)
                return reader.read()
            })
        else { return nil }
        self.members = members
    }
}

/// The reader behind ``FlatJSONObject``.
private struct FlatJSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func read() -> [(name: String, value: FlatJSONObject.Value)]? {
        var members: [(name: String, value: FlatJSONObject.Value)] = []
        skipWhitespace()
        guard take(0x7B) else { return nil }
        skipWhitespace()
        if !take(0x7D) {
            repeat {
                skipWhitespace()
                // A usual body has a handful of members: past `maximumMembers`, the general reader takes it (so that
                // the check for repeated names stays cheap whatever a client sends).
                guard members.count < FlatJSONObject.maximumMembers, let name = string(), !members.contains(where: { $0.name == name }) else {
                    return nil
                }
                skipWhitespace()
                guard take(0x3A) else { return nil }
                skipWhitespace()
                guard position < bytes.count else { return nil }
                if bytes[position] == 0x22 {
                    guard let text = string() else { return nil }
                    members.append((name, .string(text)))
                } else {
                    guard let number = wholeNumber() else { return nil }
                    members.append((name, .wholeNumber(number)))
                }
                skipWhitespace()
            } while take(0x2C)
            guard take(0x7D) else { return nil }
        }
        skipWhitespace()
        return position == bytes.count ? members : nil
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// A string without escapes or control characters, in valid UTF-8.
    mutating func string() -> String? {
        guard take(0x22) else { return nil }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x22 {
                position += 1
                return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)]), as: UTF8.self)
            }
            if byte == 0x5C || byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// `-?(0|[1-9][0-9]*)` of at most 15 digits, not followed by a fraction or an exponent.
    mutating func wholeNumber() -> Int64? {
        let negative = take(0x2D)
        let start = position
        var value: Int64 = 0
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) {
            value = value * 10 + Int64(bytes[position] - 0x30)
            position += 1
        }
        let digits = position - start
        guard digits > 0, digits <= 15, digits == 1 || bytes[start] != 0x30 else { return nil }
        if position < bytes.count, bytes[position] == 0x2E || bytes[position] | 0x20 == 0x65 { return nil }  // . e E
        return negative ? -value : value
    }
}
