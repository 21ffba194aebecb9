/// The `Cookie` request header (RFC 6265 §4.2): `name=value` pairs separated by `;` and optional spaces.
public enum CookieHeader {
    /// Every value sent under `name` (a browser may send several, from different paths), unquoted when quoted.
    public static func values(named name: String, in header: String) -> [String] {
        var found: [String] = []
        var rest = Substring(header)
        while !rest.isEmpty {
            let pair: Substring
            if let end = rest.firstIndex(of: ";") {
                pair = rest[..<end]
                rest = rest[rest.index(after: end)...]
            } else {
                pair = rest
                rest = ""
            }
            let trimmed = pair.drop { $0 == " " || $0 == "\t" }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            guard trimmed[..<equals] == name else { continue }
            var value = trimmed[trimmed.index(after: equals)...]
            while value.last == " " || value.last == "\t" { value.removeLast() }
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            found.append(String(value))
        }
        return found
    }
}
