import Glibc

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
    /// A lone header already in canonical form (a presigned GET's `host`), kept as it is: then ``storage`` and
    /// ``entries`` stay empty, and nothing is allocated for it.
    private var lone: HTTPHeaders.Field?

    /// Canonicalizes every header of `headers`, and `extra` after them (a presigner's `host`, which so needs no
    /// copy of the request's headers).
    init(_ headers: HTTPHeaders, adding extra: HTTPHeaders.Field? = nil) {
        if headers.isEmpty, let extra, Self.isCanonical(extra) {
            storage = []
            entries = []
            lone = extra
            return
        }
        var capacity = 0
        for header in headers { capacity += header.name.utf8.count + header.value.utf8.count }
        if let extra { capacity += extra.name.utf8.count + extra.value.utf8.count }
        var written: [Entry] = []
        written.reserveCapacity(headers.count + 1)
        // Every name and value is written straight into the new storage: canonical forms are never longer.
        storage = [UInt8](unsafeUninitializedCapacity: capacity) { target, count in
            var at = 0
            for header in headers { written.append(Self.write(header, into: target, at: &at)) }
            if let extra { written.append(Self.write(extra, into: target, at: &at)) }
            count = at
        }
        // `consume`: the sort below then works on the only reference to the buffer, with no copy first.
        entries = consume written
        guard entries.count > 1 else { return }
        // A stable sort, so a repeated name's entries stay in the order they came, next to each other.
        storage.withUnsafeBufferPointer { all in
            if entries.count <= 16 {
                entries.withUnsafeMutableBufferPointer { Self.insertionSort($0, in: all) }
            } else {
                entries.sort { Self.precedes(Self.bytes(all, $0.name), Self.bytes(all, $1.name)) }
            }
        }
        if Self.hasRepeatedNames(entries, in: storage) { joinRepeatedNames(entries) }
    }

    /// Sorts a few entries by name in place, stably: no closure context, and no scratch buffer.
    private static func insertionSort(_ entries: UnsafeMutableBufferPointer<Entry>, in all: UnsafeBufferPointer<UInt8>) {
        for index in 1..<entries.count {
            let entry = entries[index]
            var slot = index
            while slot > 0, precedes(bytes(all, entry.name), bytes(all, entries[slot - 1].name)) {
                entries[slot] = entries[slot - 1]
                slot -= 1
            }
            entries[slot] = entry
        }
    }

    /// Whether `header` is its own canonical form: a lowercase name, and a value with no space, tab or line break.
    private static func isCanonical(_ header: HTTPHeaders.Field) -> Bool {
        header.name.withUTF8Bytes { name in !name.isEmpty && name.allSatisfy { $0 == ASCII.lowercase($0) } }
            && header.value.withUTF8Bytes { value in !value.contains { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } }
    }

    /// Writes `header`'s lowercased name and canonical value into `target` at `at`, moving `at` past them.
    @inline(__always)
    private static func write(_ header: HTTPHeaders.Field, into target: UnsafeMutableBufferPointer<UInt8>, at: inout Int) -> Entry {
        var position = at
        let nameStart = position
        header.name.withUTF8Bytes { source in
            for byte in source {
                target[position] = ASCII.lowercase(byte)
                position &+= 1
            }
        }
        let valueStart = position
        position &+= header.value.withUTF8Bytes { writeCanonicalValue($0, into: UnsafeMutableBufferPointer(rebasing: target[valueStart...])) }
        at = position
        return Entry(name: nameStart..<valueStart, value: valueStart..<position)
    }

    /// Whether two sorted entries in a row share a name.
    static func hasRepeatedNames(_ entries: [Entry], in storage: [UInt8]) -> Bool {
        storage.withUnsafeBufferPointer { all in
            entries.indices.dropFirst().contains { bytes(all, entries[$0 - 1].name).elementsEqual(bytes(all, entries[$0].name)) }
        }
    }

    /// Rebuilds ``entries`` from sorted `written` with one entry per name: a repeated header's values (next to each
    /// other, in the order they appear) are joined with ",".
    private mutating func joinRepeatedNames(_ written: [Entry]) {
        entries = []
        for entry in written {
            let repeated = storage.withUnsafeBufferPointer { all in
                entries.last.map { Self.bytes(all, $0.name).elementsEqual(Self.bytes(all, entry.name)) } ?? false
            }
            guard repeated else {
                entries.append(entry)
                continue
            }
            let joinedStart = storage.count
            storage.appendCopy(of: entries[entries.count - 1].value)
            storage.append(0x2C)
            storage.appendCopy(of: entry.value)
            entries[entries.count - 1].value = joinedStart..<storage.count
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

    /// `host;x-amz-date`.
    func appendSignedHeaders(to buffer: inout [UInt8]) {
        if let lone { return buffer.append(utf8: lone.name) }
        storage.withUnsafeBufferPointer { all in
            for (index, entry) in entries.enumerated() {
                if index > 0 { buffer.append(0x3B) }
                buffer.append(contentsOf: Self.bytes(all, entry.name))
            }
        }
    }

    var signedHeaders: String {
        var out: [UInt8] = []
        appendSignedHeaders(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `name:value\n` for each header.
    func appendBlock(to buffer: inout [UInt8]) {
        if let lone {
            buffer.append(utf8: lone.name)
            buffer.append(0x3A)
            buffer.append(utf8: lone.value)
            return buffer.append(0x0A)
        }
        storage.withUnsafeBufferPointer { all in
            for entry in entries {
                buffer.append(contentsOf: Self.bytes(all, entry.name))
                buffer.append(0x3A)
                buffer.append(contentsOf: Self.bytes(all, entry.value))
                buffer.append(0x0A)
            }
        }
    }

    /// Appends every signed name, percent-encoded and joined by `%3B`, as the `X-Amz-SignedHeaders` value.
    func appendEncodedSignedHeaders(to buffer: inout [UInt8]) {
        if let lone { return PercentEncoding.append(string: lone.name, to: &buffer, keepingSlash: false) }
        // The `;`-joined list, encoded as a whole: `;` is reserved, so it becomes `%3B` with the rest.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: storage.count + entries.count) { list in
            let count = storage.withUnsafeBufferPointer { all in
                var count = 0
                for (index, entry) in entries.enumerated() {
                    if index > 0 {
                        list[count] = 0x3B
                        count += 1
                    }
                    let name = Self.bytes(all, entry.name)
                    _ = UnsafeMutableBufferPointer(rebasing: list[count...]).initialize(fromContentsOf: name)
                    count += name.count
                }
                return count
            }
            PercentEncoding.append(buffer: UnsafeBufferPointer(rebasing: list[..<count]), to: &buffer, keepingSlash: false)
        }
    }

    /// Byte-wise order (`memcmp`, then the shorter first), as SigV4 sorts header names.
    @inline(__always)
    static func precedes(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(lhs.count, rhs.count)
        if common > 0, let left = lhs.baseAddress, let right = rhs.baseAddress {
            let order = memcmp(left, right, common)
            if order != 0 { return order < 0 }
        }
        return lhs.count < rhs.count
    }

    @inline(__always)
    static func bytes(_ all: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: all[range])
    }

    /// Writes `source` trimmed of spaces, tabs and line breaks at both ends, with every inner run of them collapsed to
    /// one space, into `target` (at least as long as `source`); returns how many bytes it wrote.
    static func writeCanonicalValue(_ source: UnsafeBufferPointer<UInt8>, into target: UnsafeMutableBufferPointer<UInt8>) -> Int {
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
