import Foundation
import Synchronization

/// Token buckets by name, for attempts that cost the gateway work and may be guesses (share passwords): `burst`
/// attempts at once, then `perMinute`. The table is bounded: when full, the least recently used quarter is dropped
/// (those that refilled first), so a flood of new names costs one sort per quarter of the table and never locks
/// anyone out: a dropped name starts again with a full bucket, and the bucket of a name in use is never the oldest.
final class AttemptLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var refilledAt: Double
    }

    private struct Table {
        var buckets: [String: Bucket] = [:]
    }

    /// Attempts a second the buckets refill at.
    let rate: Double
    let burst: Int
    let capacity: Int
    private let now: @Sendable () -> Date
    private let state = Mutex(Table())

    convenience init(perMinute: Int, burst: Int, capacity: Int = 100_000, now: @escaping @Sendable () -> Date) {
        self.init(perHour: max(1, perMinute) * 60, burst: burst, capacity: capacity, now: now)
    }

    init(perHour: Int, burst: Int, capacity: Int = 100_000, now: @escaping @Sendable () -> Date) {
        self.rate = Double(max(1, perHour)) / 3_600
        self.burst = max(1, burst)
        self.capacity = max(1, capacity)
        self.now = now
    }

    /// Takes one attempt from every named bucket, or none: nil when allowed, else the seconds until one would be.
    func take(_ names: [String]) -> Int? {
        let time = now().timeIntervalSince1970
        let full = Double(burst)
        return state.withLock { state -> Int? in
            var current: [Bucket] = []
            for name in names {
                var bucket = state.buckets[name] ?? Bucket(tokens: full, refilledAt: time)
                bucket.tokens = min(full, bucket.tokens + max(0, time - bucket.refilledAt) * rate)
                bucket.refilledAt = time
                current.append(bucket)
            }
            if let short = current.map(\.tokens).min(), short < 1 {
                // A refused name counts as used too, so no flood of other names can make the table forget it.
                for (name, bucket) in zip(names, current) where state.buckets[name] != nil { state.buckets[name] = bucket }
                return Int(((1 - short) / rate).rounded(.up))
            }
            let newNames = names.filter { state.buckets[$0] == nil }.count
            if state.buckets.count + newNames > capacity {
                // Least recently used first; the names of this call were just used, so they stay.
                let keep = max(0, capacity - capacity / 4 - newNames)
                let recent = state.buckets.sorted { $0.value.refilledAt > $1.value.refilledAt }.prefix(keep)
                state.buckets = Dictionary(uniqueKeysWithValues: recent.map { ($0.key, $0.value) })
            }
            for (name, bucket) in zip(names, current) { state.buckets[name] = Bucket(tokens: bucket.tokens - 1, refilledAt: time) }
            return nil
        }
    }
}
