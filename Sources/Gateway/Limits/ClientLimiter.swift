import DropgateAPI
import Foundation
import Synchronization

/// Per-client bounds on upload declarations, met before the bucket is: declarations per minute and declared bytes
/// per hour (token buckets, so a burst up to the limit is allowed and then the rate), and the declared bytes of
/// uploads not yet completed or expired. In memory, per gateway; the table of clients is bounded.
final class ClientLimiter: Sendable {
    /// A refusal: what was exceeded, and how many seconds until a retry could succeed.
    struct Refusal: Error, Equatable {
        var message: Wording
        var retryAfter: Int
    }

    struct Bounds: Sendable {
        var uploadsPerMinute: Int
        var bytesPerHour: Int64
        var pendingBytes: Int64
        var trackedClients: Int

        var isOff: Bool { uploadsPerMinute == 0 && bytesPerHour == 0 && pendingBytes == 0 }
    }

    private struct Pending {
        var size: Int64
        var expiresAt: Double
    }

    private struct Client {
        var uploadTokens: Double
        var byteTokens: Double
        var refilledAt: Double
        /// Pending uploads by key.
        var pending: [String: Pending] = [:]
        /// The same keys in the order they expire (every upload gets the same lifetime, so that is the order they
        /// came in); released ones are skipped when they reach the front. Entries before `head` are done.
        var expiryQueue: [String] = []
        var head = 0
        var pendingBytes: Int64 = 0
    }

    private struct State {
        var clients: [ClientAddress: Client] = [:]
        /// Which client an upload key's pending bytes belong to, so completing it from anywhere releases them.
        var owners: [String: ClientAddress] = [:]
    }

    let bounds: Bounds
    /// The most unfinished uploads one client may have, whatever their sizes (empty files count too), so the table
    /// of pending uploads stays bounded.
    static let maximumPendingUploads = 10_000
    private let now: @Sendable () -> Date
    private let state = Mutex(State())

    init(bounds: Bounds, now: @escaping @Sendable () -> Date) {
        self.bounds = bounds
        self.now = now
    }

    /// Counts one declaration of `size` bytes for `key` against `client`, or refuses it and counts nothing.
    ///
    /// The client is worked out only when a limit is on, so an unlimited gateway pays nothing for it.
    func admit(_ client: @autoclosure () -> ClientAddress, key: String, size: Int64, expiresAt: Date) throws(Refusal) {
        guard !bounds.isOff else { return }
        let client = client()
        let time = now().timeIntervalSince1970
        let bounds = self.bounds
        let outcome: Refusal? = state.withLock { state in
            // Taken out of the table while it changes, so its dictionaries are not copied on write.
            var entry =
                state.clients.removeValue(forKey: client)
                ?? Client(uploadTokens: Double(bounds.uploadsPerMinute), byteTokens: Double(bounds.bytesPerHour), refilledAt: time)
            Self.refill(&entry, bounds: bounds, at: time)
            Self.expire(&entry, owners: &state.owners, at: time)
            if bounds.uploadsPerMinute > 0, entry.uploadTokens < 1 {
                let wait = (1 - entry.uploadTokens) * 60 / Double(bounds.uploadsPerMinute)
                state.clients[client] = entry
                return Refusal(
                    message: "Too many uploads from your address: at most \(bounds.uploadsPerMinute, as: "most") a minute. Try again in a moment.",
                    retryAfter: Self.seconds(wait))
            }
            if bounds.bytesPerHour > 0, entry.byteTokens < Double(size) {
                let wait = (Double(size) - entry.byteTokens) * 3_600 / Double(bounds.bytesPerHour)
                state.clients[client] = entry
                return Refusal(
                    message: "Your address has uploaded its share of bytes for now (at most \(Self.words(bounds.bytesPerHour), as: "most") an hour).",
                    retryAfter: Self.seconds(wait))
            }
            if bounds.pendingBytes > 0, entry.pending.count >= Self.maximumPendingUploads {
                let soonest = entry.expiryQueue[entry.head...].lazy.compactMap { entry.pending[$0]?.expiresAt }.first ?? time + 60
                state.clients[client] = entry
                return Refusal(
                    message:
                        "Your address has \(entry.pending.count, as: "count") uploads that are not finished yet: finish them, or wait for them to expire.",
                    retryAfter: Self.seconds(soonest - time))
            }
            if bounds.pendingBytes > 0, entry.pendingBytes + size > bounds.pendingBytes {
                let soonest = entry.expiryQueue[entry.head...].lazy.compactMap { entry.pending[$0]?.expiresAt }.first ?? time + 60
                state.clients[client] = entry
                return Refusal(
                    message:
                        "Your address has \(Self.words(entry.pendingBytes), as: "size") of uploads that are not finished yet (at most \(Self.words(bounds.pendingBytes), as: "most")): finish them, or wait for them to expire.",
                    retryAfter: Self.seconds(soonest - time))
            }
            if bounds.uploadsPerMinute > 0 { entry.uploadTokens -= 1 }
            if bounds.bytesPerHour > 0 { entry.byteTokens -= Double(size) }
            if bounds.pendingBytes > 0 {
                entry.pending[key] = Pending(size: size, expiresAt: expiresAt.timeIntervalSince1970)
                entry.expiryQueue.append(key)
                entry.pendingBytes += size
                state.owners[key] = client
            }
            state.clients[client] = entry
            if state.clients.count > bounds.trackedClients { Self.forgetOldest(&state, keeping: bounds.trackedClients) }
            return nil
        }
        if let outcome { throw outcome }
    }

    /// The upload `key` is finished (completed, or refused and deleted): its bytes no longer count as pending.
    func release(key: String) {
        guard bounds.pendingBytes > 0 else { return }
        state.withLock { state in
            guard let client = state.owners.removeValue(forKey: key), var entry = state.clients.removeValue(forKey: client) else { return }
            if let pending = entry.pending.removeValue(forKey: key) { entry.pendingBytes -= pending.size }
            state.clients[client] = entry
        }
    }

    /// How many clients are tracked.
    var trackedCount: Int { state.withLock { $0.clients.count } }

    private static func refill(_ entry: inout Client, bounds: Bounds, at time: Double) {
        let elapsed = max(0, time - entry.refilledAt)
        entry.uploadTokens = min(Double(bounds.uploadsPerMinute), entry.uploadTokens + elapsed * Double(bounds.uploadsPerMinute) / 60)
        entry.byteTokens = min(Double(bounds.bytesPerHour), entry.byteTokens + elapsed * Double(bounds.bytesPerHour) / 3_600)
        entry.refilledAt = time
    }

    /// Drops the pending uploads that have expired, from the front of the queue: the cost is the number expired.
    private static func expire(_ entry: inout Client, owners: inout [String: ClientAddress], at time: Double) {
        while entry.head < entry.expiryQueue.count {
            let key = entry.expiryQueue[entry.head]
            if let pending = entry.pending[key] {
                guard pending.expiresAt <= time else { break }
                entry.pending.removeValue(forKey: key)
                entry.pendingBytes -= pending.size
                owners.removeValue(forKey: key)
            }
            entry.head += 1
        }
        if entry.head > 64 && entry.head * 2 > entry.expiryQueue.count {
            entry.expiryQueue.removeFirst(entry.head)
            entry.head = 0
        }
    }

    /// Drops the least recently refilled tenth of the table (at least one), so the cost of forgetting is amortized.
    private static func forgetOldest(_ state: inout State, keeping limit: Int) {
        let drop = max(state.clients.count - limit, state.clients.count / 10)
        let oldest = state.clients.sorted { $0.value.refilledAt < $1.value.refilledAt }.prefix(drop)
        for (client, entry) in oldest {
            state.clients.removeValue(forKey: client)
            for key in entry.pending.keys { state.owners.removeValue(forKey: key) }
        }
    }

    private static func seconds(_ value: Double) -> Int { max(1, Int(value.rounded(.up))) }

    /// `10 GiB`, `512 MiB`, `300 bytes`.
    static func words(_ bytes: Int64) -> String {
        for (unit, shift) in [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)] where bytes >= Int64(1) << shift {
            let value = Double(bytes) / Double(Int64(1) << shift)
            return value.rounded() == value ? "\(Int64(value)) \(unit)" : "\((value * 10).rounded() / 10) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
