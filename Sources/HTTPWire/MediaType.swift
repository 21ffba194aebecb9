/// A media type parsed as RFC 9110 §8.3.1 defines it: `type "/" subtype *( OWS ";" OWS parameter )`, each a token,
/// parameter values a token or a quoted string. Lists (`image/png, text/html`), spaces inside a token, missing parts
/// and anything else are refused, so a type is matched by its parsed essence, never by splitting text.
public struct MediaType: Sendable, Hashable, CustomStringConvertible {
    /// Lowercase `type`.
    public var type: String
    /// Lowercase `subtype`.
    public var subtype: String
    /// Parameters in order, names lowercase (`charset` → `utf-8` keeps its value's case).
    public var parameters: [(name: String, value: String)]

    /// `type/subtype`, lowercase.
    public var essence: String { "\(type)/\(subtype)" }

    /// The canonical text: `type/subtype; name=value` (values quoted when they are not tokens).
    public var description: String {
        var text = essence
        for (name, value) in parameters {
            text += "; \(name)=" + (!value.isEmpty && value.utf8.allSatisfy(Self.isTokenByte) ? value : Self.quoted(value))
        }
        return text
    }

    /// The value of parameter `name` (lowercase).
    public func parameter(_ name: String) -> String? { parameters.first { $0.name == name }?.value }

    public static func == (a: MediaType, b: MediaType) -> Bool { a.description == b.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    /// Parses `text`; nil when it is not exactly one media type.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count <= 200 else { return nil }
        var index = 0
        func token() -> String? {
            let start = index
            while index < bytes.count, Self.isTokenByte(bytes[index]) { index += 1 }
            return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }
        func skipSpace() { while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 } }
        skipSpace()
        guard let type = token(), index < bytes.count, bytes[index] == 0x2F else { return nil }
        index += 1
        guard let subtype = token() else { return nil }
        var parameters: [(String, String)] = []
        while true {
            skipSpace()
            if index == bytes.count { break }
            guard bytes[index] == 0x3B else { return nil }  // only ";" may follow: no list, no stray text
            index += 1
            skipSpace()
            guard let name = token(), index < bytes.count, bytes[index] == 0x3D else { return nil }
            index += 1
            let value: String
            if index < bytes.count, bytes[index] == 0x22 {
                index += 1
                var out: [UInt8] = []
                while index < bytes.count, bytes[index] != 0x22 {
                    if bytes[index] == 0x5C, index + 1 < bytes.count { index += 1 }
                    guard bytes[index] >= 0x20, bytes[index] != 0x7F else { return nil }
                    out.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count else { return nil }
                index += 1
                value = String(decoding: out, as: UTF8.self)
            } else {
                guard let word = token() else { return nil }
                value = word
            }
            parameters.append((name.lowercased(), value))
        }
        self.type = type.lowercased()
        self.subtype = subtype.lowercased()
        self.parameters = parameters
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    /// A quoted-string: `"`, then the value with `"` and `\` escaped by `\`, then `"`.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for character in value {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }
}
