import DropgateAPI
import Foundation
import S3Client

/// Work waiting in the bucket under one prefix (webhook deliveries, mail), so it outlives the gateway that queued it:
/// each item is written create-only under a key named after what caused it (one item however many gateways saw the
/// cause), tried by the holder of a lease, and after a failure tried again `firstRetry` seconds later, then four times
/// as long each time (up to six hours), `attempts` times in all.
struct RetryQueue<Item: Codable & Sendable>: Sendable {
    struct Entry: Codable, Sendable {
        var item: Item
        /// Attempts made so far.
        var attempts: Int
        /// Milliseconds since 1970: not before.
        var nextAt: Int64
    }

    /// What became of one attempt.
    enum Outcome {
        case done
        case failed(String)
        /// Nothing more can be done for it (its endpoint is gone): it leaves the queue unattempted.
        case dropped
    }

    let client: S3Client
    let prefix: String
    let firstRetry: Int
    let attempts: Int
    let now: @Sendable () -> Date

    /// Seconds to wait after the `attempt`-th failure.
    static func backoff(after attempt: Int, first: Int) -> Int64 {
        var wait = Int64(first)
        for _ in 1..<max(1, attempt) { wait = min(wait * 4, 6 * 3_600) }
        return wait
    }

    /// Queues `item` under `key` unless something is (or was) there; whether this call queued it.
    @discardableResult
    func enqueue(_ item: Item, key: String) throws -> Bool {
        try client.create(key: prefix + key, body: try APIJSON.encode(Entry(item: item, attempts: 0, nextAt: 0)))
    }

    /// One pass: every due item, tried once by `attempt` (given the key after the prefix, the item and which attempt
    /// this is), within `budget`; `gaveUp` hears of an item whose last attempt failed. An empty queue costs one listing
    /// and no write: work takes (or renews) the lease first. The number attempted.
    func pass(
        lease: LifecycleLease, leaseSeconds: Int, budget: Duration, attempt: (String, Item, Int) throws -> Outcome,
        gaveUp: (String, Item, Int, String) throws -> Void
    ) throws -> Int {
        let started = ContinuousClock.now
        var attempted = 0
        var token: String?
        repeat {
            let page = try client.listObjects(prefix: prefix, maxKeys: 1_000, continuationToken: token)
            if token == nil {
                guard !page.objects.isEmpty, try lease.acquire(for: leaseSeconds) else { return 0 }
            }
            for object in page.objects {
                if ContinuousClock.now - started > budget { return attempted }
                if try tryOnce(object.key, attempt: attempt, gaveUp: gaveUp) { attempted += 1 }
            }
            token = page.nextContinuationToken
        } while token != nil
        return attempted
    }

    /// One item, if it is due; whether it was attempted.
    func tryOnce(_ key: String, attempt: (String, Item, Int) throws -> Outcome, gaveUp: (String, Item, Int, String) throws -> Void) throws
        -> Bool
    {
        let bytes: [UInt8]
        do {
            bytes = try client.getObject(key: key).bytes
        } catch let error as S3ClientError where error.status == 404 {
            return false  // done by a pass elsewhere since the listing
        }
        guard var entry = try? APIJSON.decode(Entry.self, from: bytes) else {
            try client.deleteObject(key: key)  // not an entry of this queue
            return false
        }
        let time = now()
        guard entry.nextAt <= Int64(time.timeIntervalSince1970 * 1_000) else { return false }
        entry.attempts += 1
        switch try attempt(String(key.dropFirst(prefix.count)), entry.item, entry.attempts) {
        case .dropped:
            try client.deleteObject(key: key)
            return false
        case .done:
            try client.deleteObject(key: key)
        case .failed(let reason) where entry.attempts >= attempts:
            try client.deleteObject(key: key)
            try gaveUp(String(key.dropFirst(prefix.count)), entry.item, entry.attempts, reason)
        case .failed:
            entry.nextAt = Int64(time.timeIntervalSince1970 * 1_000) + Self.backoff(after: entry.attempts, first: firstRetry) * 1_000
            _ = try client.putObject(key: key, body: try APIJSON.encode(entry), contentType: "application/json")
        }
        return true
    }
}
