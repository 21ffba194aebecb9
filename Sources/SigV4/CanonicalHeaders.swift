/// The canonical headers block and the `SignedHeaders` list of a canonical request.
///
/// SigV4: names are lowercased and sorted; values are trimmed and runs of spaces collapsed; a repeated
/// header's values are joined with `,` in the order they appear. This is the owning form, kept by a verifier;
/// a presign uses ``ScratchCanonicalHeaders``, which canonicalizes them, in one allocation.
struct CanonicalHeaders {
    struct Entry {
        var name: Range<Int>
        var value: Range<Int>
    }

    /// The lowercased names and canonical values, back to back.
    private(set) var storage: [UInt8]
    /// One entry per distinct name, sorted by name.
    private(set) var entries: [Entry]

    /// Canonicalizes every header of `headers`, and `extra` after them (a presigner's `host`, which so needs no
    /// copy of the request's headers).
    init(_ headers: HTTPHeaders, adding extra: HTTPHeaders.Field? = nil) {
        let scratch = ScratchCanonicalHeaders(headers, adding: extra)
        if let lone = scratch.view.lone {
            storage = Array(lone.name.utf8) + Array(lone.value.utf8)
            entries = [Entry(name: 0..<lone.name.utf8.count, value: lone.name.utf8.count..<storage.count)]
        } else {
            storage = Array(scratch.view.storage)
            entries = Array(scratch.view.entries)
        }
    }

    /// Canonicalizes only the headers named in `signedNames` (lowercase), in that order; a named header
    /// that is missing gets an empty value, and is reported in `missing`.
    init(_ headers: HTTPHeaders, signedNames: [String], missing: inout [String]) {
        // Looked up in the scratch form, with no owning copy of every header first and no array per name.
        let all = ScratchCanonicalHeaders(headers, adding: nil)
        let view = all.view
        storage = Array(view.storage)
        entries = []
        entries.reserveCapacity(signedNames.count)
        for name in signedNames {
            let found = name.withUTF8Bytes { name in view.entries.first { View.same(View.bytes(view.storage, $0.name), name) } }
            if let found {
                entries.append(found)
            } else {
                missing.append(name)
                let start = storage.count
                storage.write(utf8: name)
                entries.append(Entry(name: start..<storage.count, value: storage.count..<storage.count))
            }
        }
    }

    /// Gives `body` a view of these headers' memory.
    func withView<Result>(_ body: (View) -> Result) -> Result {
        storage.withUnsafeBufferPointer { storage in entries.withUnsafeBufferPointer { body(View(storage: storage, entries: $0)) } }
    }

    /// `host;x-amz-date`.
    var signedHeaders: String {
        var out: [UInt8] = []
        withView { $0.appendSignedHeaders(to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}
