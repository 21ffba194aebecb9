/// A parsed JSON document (RFC 8259), for ``CompactJSONDecoder``. Numbers keep their text, so each is read as the
/// type asked for, exactly.
enum JSONValue {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members by name; a repeated name keeps its first value, as Foundation's decoder does.
    case object([String: JSONValue])

    /// What the value is, for error messages: "a string", "null", …
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Parses a whole document; throws ``JSONSyntaxError`` for anything that is not exactly one JSON value (with
    /// white space around it), for nesting deeper than `maximumDepth`, and for bad UTF-8.
    static func parse(_ bytes: some Collection<UInt8>, maximumDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue {
        let array = bytes as? [UInt8] ?? Array(bytes)
        var parser = JSONParser(bytes: array, maximumDepth: maximumDepth)
        return try parser.document()
    }
}

/// Why a document is not JSON, and where.
struct JSONSyntaxError: Error {
    var message: String
    var offset: Int
}

/// The recursive-descent parser behind ``JSONValue/parse(_:maximumDepth:)``.
struct JSONParser {
    let bytes: [UInt8]
    let maximumDepth: Int
    var position = 0

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    mutating func document() throws(JSONSyntaxError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }  // a UTF-8 byte order mark, which Foundation skips
        let value = try self.value(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw failure("unexpected bytes after the value") }
        return value
    }

    func failure(_ message: String) -> JSONSyntaxError { JSONSyntaxError(message: message, offset: position) }

    mutating func skipWhitespace() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09 {
            position += 1
        }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw failure("the document ends where a value was expected") }
        switch bytes[position] {
        case 0x7B: return try object(depth: depth + 1)
        case 0x5B: return try array(depth: depth + 1)
        case 0x22: return .string(try string())
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6E: return try literal("null", .null)
        case 0x2D, 0x30...0x39: return .number(try number())
        default: throw failure("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw failure("unexpected end") }
        let matches = word.withUTF8Buffer { $0.elementsEqual(bytes[position..<(position + count)]) }
        guard matches else { throw failure("unexpected word") }
        position += count
        return value
    }

    mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= maximumDepth else { throw failure("nested too deeply") }
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if position < bytes.count, bytes[position] == 0x7D {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == 0x22 else { throw failure("an object's key must be a string") }
            let key = try string()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == 0x3A else { throw failure("expected ':' after a key") }
            position += 1
            let member = try value(depth: depth)
            if members[key] == nil { members[key] = member }  // a repeated key keeps its first value, as Foundation's does
            skipWhitespace()
            guard position < bytes.count else { throw failure("an object is not closed") }
            if bytes[position] == 0x2C {
                position += 1
                skipWhitespace()
                // One comma before the closing brace is let through, as Foundation's decoder lets it.
                if position < bytes.count, bytes[position] == 0x7D {
                    position += 1
                    return .object(members)
                }
                continue
            }
            guard bytes[position] == 0x7D else { throw failure("expected ',' or '}'") }
            position += 1
            return .object(members)
        }
    }

    mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= maximumDepth else { throw failure("nested too deeply") }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == 0x5D {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw failure("an array is not closed") }
            if bytes[position] == 0x2C {
                position += 1
                skipWhitespace()
                if position < bytes.count, bytes[position] == 0x5D {  // as in an object
                    position += 1
                    return .array(elements)
                }
                continue
            }
            guard bytes[position] == 0x5D else { throw failure("expected ',' or ']'") }
            position += 1
            return .array(elements)
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as its text.
    mutating func number() throws(JSONSyntaxError) -> String {
        let start = position
        if bytes[position] == 0x2D { position += 1 }
        guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else { throw failure("a number needs digits") }
        if bytes[position] == 0x30 {
            position += 1
        } else {
            digits()
        }
        if position < bytes.count, bytes[position] == 0x2E {
            position += 1
            guard digits() > 0 else { throw failure("a fraction needs digits") }
        }
        if position < bytes.count, bytes[position] | 0x20 == 0x65 {
            position += 1
            if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D { position += 1 }
            guard digits() > 0 else { throw failure("an exponent needs digits") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        // A number no Double holds is refused as the document's fault, as Foundation's decoder refuses it.
        guard Double(text)?.isFinite == true else { throw JSONSyntaxError(message: "the number \(text) is too large", offset: start) }
        return text
    }

    @discardableResult
    mutating func digits() -> Int {
        let start = position
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
        return position - start
    }
}
