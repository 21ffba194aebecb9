import Foundation
import Synchronization

/// Work done on a thread of its own, at once and then every `interval` seconds, until ``stop()``, which waits for
/// the run in progress and then runs `finally`.
public final class RepeatingTask: Sendable {
    private let stopping = Mutex(false)
    private let wake = NSCondition()
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread.
    public init(name: String, interval: TimeInterval, _ work: @escaping @Sendable () -> Void, finally: @escaping @Sendable () -> Void = {}) {
        let thread = Thread { [self] in
            while !stopping.withLock({ $0 }) {
                work()
                wake.lock()
                if !stopping.withLock({ $0 }) { _ = wake.wait(until: Date().addingTimeInterval(interval)) }
                wake.unlock()
            }
            finally()
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Ends the runs after the one in progress and waits for it.
    public func stop() {
        stopping.withLock { $0 = true }
        wake.lock()
        wake.broadcast()
        wake.unlock()
        finished.wait()
    }
}
