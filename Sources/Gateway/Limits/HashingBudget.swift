import Foundation
import Synchronization

/// The CPU that password hashing may take, for every share and client together: at most `permits` hashes run at once
/// (`limits.passwordHashing`, by default half the cores), at most three times as many more wait for a slot, and none waits longer
/// than `wait` seconds. Past that a request is refused (429) before it costs anything: no record is read, nothing is
/// hashed. So a flood of guesses spends a bounded share of the host, whatever the per-share and per-client limits
/// let through, and everything else keeps the rest.
final class HashingBudget: Sendable {
    let permits: Int
    let wait: Double
    private let slots: DispatchSemaphore
    /// Requests holding or waiting for a slot.
    private let admitted = Atomic<Int>(0)

    init(permits: Int, wait: Double = 0.25) {
        self.permits = max(1, permits)
        self.wait = wait
        self.slots = DispatchSemaphore(value: self.permits)
    }

    /// Half the cores, at least one.
    static var defaultPermits: Int { max(1, ProcessInfo.processInfo.activeProcessorCount / 2) }

    /// A place in the budget, taken before any work for the request is done; nil when every slot is taken and as
    /// many requests wait. Give it back with ``leave()``.
    func enter() -> Bool {
        let (count, _) = admitted.add(1, ordering: .acquiringAndReleasing)
        guard count <= 4 * permits else {
            admitted.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func leave() { admitted.subtract(1, ordering: .releasing) }

    /// Runs `work` on a slot, for a request that entered; nil when no slot came free in time.
    func run<T>(_ work: () throws -> T) rethrows -> T? {
        guard slots.wait(timeout: .now() + wait) == .success else { return nil }
        defer { slots.signal() }
        return try work()
    }
}
