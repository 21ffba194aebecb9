import Foundation
import Synchronization

/// Token buckets by name, for attempts that cost the gateway work and may be guesses (share passwords): `burst`
/// attempts at once, then `perMinute`. The table is bounded: when full, buckets that have refilled are dropped (at most
/// once a second, so a flood of new names cannot make every call walk the table), and if none has, a new name is
/// refused (fail closed) until one does.
final class AttemptLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var refilledAt: Double
    }

    private struct Table {
        var buckets: [String: Bucket] = [:]
        var prunedAt = -Double.infinity
    }

    let perMinute: Int
    let burst: Int
    let capacity: Int
    private let now: @Sendable () -> Date
    private let state = Mutex(Table())

    init(perMinute: Int, burst: Int, capacity: Int = 100_000, now: @escaping @Sendable () -> Date) {
        self.perMinute = max(1, perMinute)
        self.burst = max(1, burst)
        self.capacity = max(1, capacity)
        self.now = now
    }

    /// Takes one attempt from every named bucket, or none: nil when allowed, else the seconds until one would be.
    func take(_ names: [String]) -> Int? {
        let time = now().timeIntervalSince1970
        let rate = Double(perMinute) / 60
        let full = Double(burst)
        return state.withLock { state -> Int? in
            var current: [Bucket] = []
            for name in names {
                var bucket = state.buckets[name] ?? Bucket(tokens: full, refilledAt: time)
                bucket.tokens = min(full, bucket.tokens + max(0, time - bucket.refilledAt) * rate)
                bucket.refilledAt = time
                current.append(bucket)
            }
            if let short = current.map(\.tokens).min(), short < 1 { return Int(((1 - short) / rate).rounded(.up)) }
            let newNames = names.filter { state.buckets[$0] == nil }.count
            if state.buckets.count + newNames > capacity {
                if time - state.prunedAt >= 1 {
                    state.prunedAt = time
                    state.buckets = state.buckets.filter { $0.value.tokens + (time - $0.value.refilledAt) * rate < full }
                }
                if state.buckets.count + newNames > capacity { return 60 }
            }
            for (name, bucket) in zip(names, current) { state.buckets[name] = Bucket(tokens: bucket.tokens - 1, refilledAt: time) }
            return nil
        }
    }
}
