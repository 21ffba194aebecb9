import Foundation
import Synchronization

/// The threads that serve connections: a connection that arrives, or comes back from parking, is handed to a thread
/// that has finished its last one and waits, and a new thread starts only when none waits. At most `maximumWaiting`
/// threads wait; past that, or after `idleLifetime` seconds without work, a thread ends. (Threads are still one per connection being served: the bound is the server's
/// `limits.maximumConnections`; quiet connections hold none.)
final class WorkerThreads: Sendable {
    /// One waiting thread: its own semaphore, and the job handed to it.
    private final class Worker: @unchecked Sendable {
        let wake = DispatchSemaphore(value: 0)
        /// Set by ``run(_:)`` under the pool's lock before `wake` is signalled; read by the worker after it wakes.
        var job: (@Sendable () -> Void)?
    }

    private let waiting = Mutex([Worker]())
    let idleLifetime: Double
    let maximumWaiting: Int
    let stackSize: Int

    init(idleLifetime: Double = 5, maximumWaiting: Int = 32, stackSize: Int = 1 << 20) {
        self.idleLifetime = idleLifetime
        self.maximumWaiting = maximumWaiting
        self.stackSize = stackSize
    }

    /// Threads waiting for work now.
    var waitingCount: Int { waiting.withLock { $0.count } }

    /// Runs `job` on a waiting thread, or on a new one.
    func run(_ job: @escaping @Sendable () -> Void) {
        let worker = waiting.withLock { list -> Worker? in
            guard let worker = list.popLast() else { return nil }
            worker.job = job
            return worker
        }
        if let worker {
            worker.wake.signal()
            return
        }
        let fresh = Worker()
        fresh.job = job
        let thread = Thread { [self] in self.loop(fresh) }
        thread.stackSize = stackSize
        thread.start()
    }

    private func loop(_ worker: Worker) {
        while true {
            let job = waiting.withLock { _ -> (@Sendable () -> Void)? in
                defer { worker.job = nil }
                return worker.job
            }
            job?()
            let keep = waiting.withLock { list -> Bool in
                guard list.count < maximumWaiting else { return false }
                list.append(worker)
                return true
            }
            guard keep else { return }
            if worker.wake.wait(timeout: .now() + idleLifetime) == .timedOut {
                let gone = waiting.withLock { list -> Bool in
                    guard let index = list.firstIndex(where: { $0 === worker }) else { return false }
                    list.remove(at: index)
                    return true
                }
                if gone { return }
                worker.wake.wait()  // handed a job just as it timed out: the signal is on its way
            }
        }
    }
}
