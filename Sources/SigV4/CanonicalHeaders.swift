/// The canonical headers block and the `SignedHeaders` list of a canonical request.
///
/// SigV4: names are lowercased and sorted; values are trimmed and runs of spaces collapsed; a repeated
/// header's values are joined with `,` in the order they appear. Names and values live in one buffer,
/// so a request's headers cost two allocations however many there are.
struct CanonicalHeaders {
    struct Entry {
        var name: Range<Int>
        var value: Range<Int>
    }

    /// The lowercased names and canonical values, back to back.
    private(set) var storage: [UInt8]
    /// One entry per distinct name, sorted by name.
    private(set) var entries: [Entry]

    /// Canonicalizes every header of `headers`.
    init(_ headers: HTTPHeaders) {
        storage = []
        storage.reserveCapacity(headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count })
        entries = []
        entries.reserveCapacity(headers.count)
        for header in headers {
            let nameStart = storage.count
            var headerName = header.name
            headerName.withUTF8 { source in
                storage.appendInPlace(maximumCount: source.count) { target in
                    for index in source.indices { target[index] = ASCII.lowercase(source[index]) }
                    return source.count
                }
            }
            let name = nameStart..<storage.count
            let valueStart = storage.count
            Self.appendCanonicalValue(header.value, to: &storage)
            let value = valueStart..<storage.count
            if let index = entries.firstIndex(where: { storage[$0.name] == storage[name] }) {
                // A repeated header: its values are joined with "," in the order they appear.
                let existing = entries[index].value
                let joinedStart = storage.count
                storage.append(contentsOf: storage[existing])
                storage.append(0x2C)
                storage.append(contentsOf: storage[value])
                entries[index].value = joinedStart..<storage.count
            } else {
                entries.append(Entry(name: name, value: value))
            }
        }
        if entries.count > 1 {
            let storage = self.storage
            entries.sort { storage[$0.name].lexicographicallyPrecedes(storage[$1.name]) }
        }
    }

    /// Canonicalizes only the headers named in `signedNames` (lowercase), in that order; a named header
    /// that is missing gets an empty value, and is reported in `missing`.
    init(_ headers: HTTPHeaders, signedNames: [String], missing: inout [String]) {
        let all = CanonicalHeaders(headers)
        storage = all.storage
        entries = []
        for name in signedNames {
            let nameBytes = Array(name.utf8)
            if let entry = all.entries.first(where: { all.storage[$0.name].elementsEqual(nameBytes) }) {
                entries.append(entry)
            } else {
                missing.append(name)
                let start = storage.count
                storage.append(contentsOf: nameBytes)
                entries.append(Entry(name: start..<storage.count, value: storage.count..<storage.count))
            }
        }
    }

    /// The lowercased name of entry `index`.
    func name(_ index: Int) -> ArraySlice<UInt8> { storage[entries[index].name] }

    /// `host;x-amz-date`.
    func appendSignedHeaders(to buffer: inout [UInt8]) {
        for (index, entry) in entries.enumerated() {
            if index > 0 { buffer.append(0x3B) }
            buffer.append(contentsOf: storage[entry.name])
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
            buffer.append(contentsOf: storage[entry.name])
            buffer.append(0x3A)
            buffer.append(contentsOf: storage[entry.value])
            buffer.append(0x0A)
        }
    }

    /// Appends `value` trimmed of spaces, tabs and line breaks at both ends, with every inner run of them collapsed to one space.
    static func appendCanonicalValue(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { source in
            out.appendInPlace(maximumCount: source.count) { target in
                var written = 0
                var pendingSpace = false
                for byte in source {
                    if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                        pendingSpace = written > 0
                    } else {
                        if pendingSpace {
                            target[written] = 0x20
                            written += 1
                        }
                        pendingSpace = false
                        target[written] = byte
                        written += 1
                    }
                }
                return written
            }
        }
    }
}
