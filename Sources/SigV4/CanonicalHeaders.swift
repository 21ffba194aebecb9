/// The canonical headers block and the `SignedHeaders` list of a canonical request.
///
/// SigV4: names are lowercased and sorted; values are trimmed and runs of spaces collapsed; a repeated
/// header's values are joined with `,` in the order they appear.
struct CanonicalHeaders {
    /// Each signed header as `name:value`, sorted by name.
    var entries: [(name: [UInt8], value: [UInt8])]

    /// Canonicalizes every header of `headers`.
    init(_ headers: [SignableRequest.Header]) {
        entries = []
        entries.reserveCapacity(headers.count)
        for header in headers {
            let name = header.name.utf8.map(ASCII.lowercase)
            let value = Self.canonicalValue(header.value)
            if let index = entries.firstIndex(where: { $0.name == name }) {
                entries[index].value.append(0x2C)
                entries[index].value.append(contentsOf: value)
            } else {
                entries.append((name, value))
            }
        }
        entries.sort { $0.name.lexicographicallyPrecedes($1.name) }
    }

    /// Canonicalizes only the headers named in `signedNames` (lowercase); a named header that is
    /// missing gets an empty value, and is reported in `missing`.
    init(_ headers: [SignableRequest.Header], signedNames: [String], missing: inout [String]) {
        let all = CanonicalHeaders(headers)
        entries = signedNames.map { name in
            let nameBytes = Array(name.utf8)
            if let entry = all.entries.first(where: { $0.name == nameBytes }) { return entry }
            missing.append(name)
            return (nameBytes, [])
        }
    }

    /// `host;x-amz-date`.
    func appendSignedHeaders(to buffer: inout [UInt8]) {
        for (index, entry) in entries.enumerated() {
            if index > 0 { buffer.append(0x3B) }
            buffer.append(contentsOf: entry.name)
        }
    }

    var signedHeaders: String {
        var out: [UInt8] = []
        appendSignedHeaders(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `name:value\n` for each header.
    func appendBlock(to buffer: inout [UInt8]) {
        for entry in entries {
            buffer.append(contentsOf: entry.name)
            buffer.append(0x3A)
            buffer.append(contentsOf: entry.value)
            buffer.append(0x0A)
        }
    }

    /// Trims spaces, tabs and line breaks at both ends and collapses every inner run of them to one space.
    static func canonicalValue(_ value: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return out
    }
}
