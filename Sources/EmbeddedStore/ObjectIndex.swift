import Foundation
import Synchronization

/// What a listing shows of an object.
public struct ObjectSummary: Sendable, Hashable {
    public var key: String
    public var size: Int64
    public var etag: String
    /// Seconds since 1970.
    public var lastModified: Double

    public var lastModifiedDate: Date { Date(timeIntervalSince1970: lastModified) }

    init(_ metadata: ObjectMetadata) {
        key = metadata.key
        size = metadata.size
        etag = metadata.etag
        lastModified = metadata.lastModified
    }
}

/// Each bucket's keys in S3's order (UTF-8 bytes), in memory, so a listing page costs a binary search and the page
/// instead of reading every object's metadata from disk. A bucket's index is built from disk the first time it is
/// listed; after that every commit and delete refreshes its key from what is on disk, under one lock, so the index
/// always ends up as the files are, whatever order concurrent writers of one key finished in.
final class ObjectIndex: Sendable {
    private let buckets = Mutex([String: [ObjectSummary]]())

    /// The sorted summaries of `bucket` from the first key not before `start`, building the index with `scan` once.
    func objects(in bucket: String, from start: String, scan: () -> [ObjectSummary]) -> ArraySlice<ObjectSummary> {
        buckets.withLock { buckets in
            if buckets[bucket] == nil { buckets[bucket] = scan().sorted { Self.precedes($0.key, $1.key) } }
            let sorted = buckets[bucket] ?? []
            return sorted[Self.firstIndex(in: sorted, notBefore: start)...]
        }
    }

    /// Sets `key` of `bucket` to what `read` finds on disk now (nil: gone).
    func refresh(bucket: String, key: String, read: () -> ObjectSummary?) {
        buckets.withLock { buckets in
            guard var sorted = buckets[bucket] else { return }  // not built yet: the first listing reads the disk
            buckets[bucket] = nil  // keep the array uniquely referenced while it changes
            let index = Self.firstIndex(in: sorted, notBefore: key)
            let present = index < sorted.count && sorted[index].key.utf8.elementsEqual(key.utf8)  // bytes: "é" is not "e\u{301}"
            switch (read(), present) {
            case (let summary?, true): sorted[index] = summary
            case (let summary?, false): sorted.insert(summary, at: index)
            case (nil, true): sorted.remove(at: index)
            case (nil, false): break
            }
            buckets[bucket] = sorted
        }
    }

    /// Forgets a bucket (deleted).
    func forget(_ bucket: String) { buckets.withLock { _ = $0.removeValue(forKey: bucket) } }

    static func precedes(_ left: String, _ right: String) -> Bool { left.utf8.lexicographicallyPrecedes(right.utf8) }

    private static func firstIndex(in sorted: [ObjectSummary], notBefore key: String) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if precedes(sorted[middle].key, key) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
