import Foundation
import Synchronization

/// The fixed set of threads that run handlers which may block, fed from a bounded queue that is fair across clients.
///
/// At most `threads` threads ever run (started as work first needs them, ended after a quiet spell), so attackers
/// cannot raise the count. Queued jobs are taken round-robin by client address: a client waits behind one job of each
/// other client at most, never behind a flood. A client may queue `perClientLimit` jobs; past that, or once the queue
/// holds `queueLimit` jobs, ``submit(_:client:force:)`` says no and the server answers 503, except to a client with
/// nothing queued, which always gets its turn (so a flood from many addresses cannot shut out one more).
final class WorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    private let state = Mutex(FairQueue())
    /// Signalled once per job queued; a thread waits on it, then takes one job.
    private let jobs = DispatchSemaphore(value: 0)
    let threadLimit: Int
    let queueLimit: Int
    let perClientLimit: Int
    let stackSize: Int

    init(threads: Int, queueLimit: Int, stackSize: Int = 1 << 20) {
        self.threadLimit = max(1, threads)
        self.queueLimit = max(0, queueLimit)
        self.perClientLimit = max(4, queueLimit / 16)
        self.stackSize = stackSize
    }

    /// Threads started and not ended (never more than `threadLimit`).
    var threadCount: Int { state.withLock { $0.threads } }

    /// Jobs waiting for a thread now.
    var queuedCount: Int { state.withLock { $0.count } }

    /// Queues `job` for `client`; false, and nothing queued, when the queue or the client's share of it is full (unless
    /// `force`: the rest of a response already decided, which must not be refused).
    @discardableResult
    func submit(_ job: @escaping Job, client: String, force: Bool = false) -> Bool {
        let outcome = state.withLock { state -> (accepted: Bool, spawn: Bool) in
            // Jobs a thread can take at once do not count against the queue.
            let idle = state.threads - state.busy
            let queued = state.queued(by: client)
            let roomy = state.count - idle < queueLimit && queued < perClientLimit
            guard force || roomy || queued == 0 else { return (false, false) }
            state.append(job, client: client)
            guard state.count > idle, state.threads < threadLimit else { return (true, false) }
            state.threads += 1
            return (true, true)
        }
        guard outcome.accepted else { return false }
        if outcome.spawn {
            let thread = Thread { [self] in
                Thread.current.name = HTTPServer.workerThreadName  // set from the thread itself: Linux applies it then
                self.work()
            }
            thread.stackSize = stackSize
            thread.start()
        }
        jobs.signal()
        return true
    }

    /// Seconds a thread waits for work before it ends (a later burst starts it again).
    static let idleLifetime = 10.0

    private func work() {
        while true {
            if jobs.wait(timeout: .now() + Self.idleLifetime) == .timedOut {
                // Ends only when nothing is queued: a job queued meanwhile counted this thread as idle, and its signal
                // is on the way.
                let ends = state.withLock { state -> Bool in
                    guard state.count == 0 else { return false }
                    state.threads -= 1
                    return true
                }
                if ends { return }
                continue
            }
            guard
                let job = state.withLock({ state -> Job? in
                    guard let job = state.take() else { return nil }
                    state.busy += 1
                    return job
                })
            else { continue }
            job()
            state.withLock { $0.busy -= 1 }
        }
    }
}
