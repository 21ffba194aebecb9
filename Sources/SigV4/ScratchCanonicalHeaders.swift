/// A request's canonical headers in one allocation of their own, freed when this goes away: what a presign signs.
///
/// Names are lowercased and values made canonical straight into the memory, the entries sorted stably by name in
/// place, and a repeated name's values joined with `,` in the order they came, after the rest. No array, and no
/// closure, so nothing the caller holds is copied or retained for it.
struct ScratchCanonicalHeaders: ~Copyable {
    typealias Entry = CanonicalHeaders.Entry
    private typealias View = CanonicalHeaders.View

    /// The canonical headers, valid while this lives.
    let view: CanonicalHeaders.View
    private let memory: UnsafeMutableRawPointer?

    /// Canonicalizes every header of `headers`, and `extra` after them (a presigner's `host`, which so needs no
    /// copy of the request's headers).
    init(_ headers: HTTPHeaders, adding extra: HTTPHeaders.Field?) {
        if headers.isEmpty, let extra, Self.isCanonical(extra) {
            memory = nil
            view = CanonicalHeaders.View(lone: extra)
            return
        }
        let count = headers.count &+ (extra == nil ? 0 : 1)
        var written = 0
        for header in headers { written &+= header.name.utf8.count &+ header.value.utf8.count }
        if let extra { written &+= extra.name.utf8.count &+ extra.value.utf8.count }
        // Canonical forms are never longer; joined values need at most every value again, and a comma each.
        let byteCapacity = 2 &* written &+ count
        let entriesSize = count &* MemoryLayout<Entry>.stride
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(1, entriesSize &+ byteCapacity), alignment: MemoryLayout<Entry>.alignment)
        self.memory = memory
        let entries = UnsafeMutableBufferPointer(start: memory.bindMemory(to: Entry.self, capacity: count), count: count)
        let bytes = UnsafeMutableBufferPointer(start: (memory + entriesSize).bindMemory(to: UInt8.self, capacity: byteCapacity), count: byteCapacity)
        var used = 0
        var index = 0
        for header in headers {
            entries.initializeElement(at: index, to: Self.write(header, into: bytes, at: &used))
            index &+= 1
        }
        if let extra { entries.initializeElement(at: index, to: Self.write(extra, into: bytes, at: &used)) }
        Self.sort(entries, in: UnsafeBufferPointer(rebasing: bytes[..<used]))
        let distinct = Self.joinRepeatedNames(entries, in: bytes, used: &used)
        view = CanonicalHeaders.View(
            storage: UnsafeBufferPointer(rebasing: bytes[..<used]), entries: UnsafeBufferPointer(rebasing: entries[..<distinct]))
    }

    deinit { memory?.deallocate() }

    /// Whether `header` is its own canonical form: a lowercase name, and a value with no space, tab or line break.
    private static func isCanonical(_ header: HTTPHeaders.Field) -> Bool {
        header.name.withUTF8Bytes { name in !name.isEmpty && name.allSatisfy { $0 == ASCII.lowercase($0) } }
            && header.value.withUTF8Bytes { value in !value.contains { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } }
    }

    /// Sorts entries by name, stably, so a repeated name's entries stay in the order they came, next to each other:
    /// up to 16 by insertion in place (no closure context, no scratch), more by the standard sort.
    private static func sort(_ entries: UnsafeMutableBufferPointer<Entry>, in all: UnsafeBufferPointer<UInt8>) {
        guard entries.count > 1 else { return }
        guard entries.count <= 16 else {
            var sorted = entries
            sorted.sort { View.precedes(View.bytes(all, $0.name), View.bytes(all, $1.name)) }
            return
        }
        for index in 1..<entries.count {
            let entry = entries[index]
            var slot = index
            while slot > 0, View.precedes(View.bytes(all, entry.name), View.bytes(all, entries[slot - 1].name)) {
                entries[slot] = entries[slot - 1]
                slot -= 1
            }
            entries[slot] = entry
        }
    }

    /// Leaves one entry per name at the front of sorted `entries`: a repeated name's values are written after `used`,
    /// joined with `,`, and its entry points there. Returns how many entries remain.
    private static func joinRepeatedNames(_ entries: UnsafeMutableBufferPointer<Entry>, in bytes: UnsafeMutableBufferPointer<UInt8>, used: inout Int)
        -> Int
    {
        var kept = 0
        var first = 0
        while first < entries.count {
            let name = entries[first].name
            var end = first &+ 1
            while end < entries.count,
                View.same(View.bytes(UnsafeBufferPointer(bytes), name), View.bytes(UnsafeBufferPointer(bytes), entries[end].name))
            {
                end &+= 1
            }
            if end == first &+ 1 {
                entries[kept] = entries[first]
            } else {
                let start = used
                for index in first..<end {
                    if index > first {
                        bytes[used] = 0x2C
                        used &+= 1
                    }
                    for offset in entries[index].value {
                        bytes[used] = bytes[offset]
                        used &+= 1
                    }
                }
                entries[kept] = Entry(name: name, value: start..<used)
            }
            kept &+= 1
            first = end
        }
        return kept
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

    /// Writes `source` trimmed of spaces, tabs and line breaks at both ends, with every inner run of them collapsed to
    /// one space, into `target` (at least as long as `source`); returns how many bytes it wrote.
    static func writeCanonicalValue(_ source: UnsafeBufferPointer<UInt8>, into target: UnsafeMutableBufferPointer<UInt8>) -> Int {
        // Most values (a type, a length, a checksum) hold no byte at or below space: those are copied as they go.
        var written = 0
        while written < source.count, source[written] > 0x20 {
            target[written] = source[written]
            written &+= 1
        }
        var pendingSpace = false
        for byte in UnsafeBufferPointer(rebasing: source[written...]) {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = written > 0
            } else {
                if pendingSpace {
                    target[written] = 0x20
                    written &+= 1
                }
                pendingSpace = false
                target[written] = byte
                written &+= 1
            }
        }
        return written
    }
}
