import CEpoll
import Foundation
import Glibc
import Synchronization

/// One epoll loop of the server. Connections wait here between requests (or while a head is slow to come) at the cost
/// of their socket and no thread: readable again, a connection is handed to `ready` on the loop's own thread, which
/// answers short requests right there and gives the rest to a worker; quiet past its deadline, it is handed to
/// `expire`. The server runs one loop per core.
///
/// A connection is watched edge-triggered (`EPOLLET`) from its first wait to its close: waiting again after the loop
/// answered it costs no system call when its last read drained the socket (the next bytes raise a new edge). Handed
/// to a worker, it is disarmed (the loop hears nothing of a body streaming in); parked back by the worker, it is
/// re-armed, which reports bytes that came in the meantime. So one thread owns a connection at a time.
final class EventLoop: Sendable {
    /// What a waiting connection was doing.
    struct Waiting: Sendable {
        /// When it stops waiting (monotonic seconds, ``EventLoop/now()``).
        var deadline: Double
        /// When the head being read must be whole, if one is being read (or the first is awaited).
        var headDeadline: Date?
        /// What the connection waits for.
        var purpose = Purpose.head

        enum Purpose: Sendable {
            /// The next request head.
            case head
            /// The body of `request`, read on the loop until it is ready (``HTTPServer/bodyReadiness(_:_:)``); `since` is
            /// when the wait began (monotonic seconds), from which its rate is measured.
            case body(request: HTTPRequest, since: Double)
            /// A worker for `request`, whose streamed body is ready, once fewer than `limits.streamingWorkers` read
            /// bodies (tried again at each deadline, until `until`; the body is not read meanwhile).
            case streamingWorker(request: HTTPRequest, until: Double)
            /// Nothing: the answer was sent and the write side shut; what still comes is read and dropped (`discarded`
            /// bytes so far) so the client is not reset before it reads the answer.
            case lingering(discarded: Int)
        }
    }

    private struct Parked {
        var connection: Connection
        var waiting: Waiting
        /// When it was parked (monotonic seconds): the sweep frees the read buffer of a connection quiet for
        /// ``bufferKeptFor``.
        var since: Double
    }

    /// How long a quiet connection keeps its read buffer: a busy keep-alive client reuses it request after request
    /// (no allocation, no zeroing), and an idle one costs only its socket after this. A connection parked for the
    /// first or second time frees it at once.
    static let bufferKeptFor = 1.0

    /// The handlers of a started loop, called on its thread.
    struct Handlers: Sendable {
        var ready: @Sendable (Connection, Waiting) -> Void
        var expire: @Sendable (Connection, Waiting) -> Void
    }

    private let epoll: Int32
    private let parked = Mutex([Int32: Parked]())
    private let stopped = Atomic<Bool>(false)
    /// The handlers given to ``start(_:)``, for a connection epoll cannot take.
    private let started = Mutex<Handlers?>(nil)

    init() throws {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SocketError("epoll_create1") }
    }

    deinit { Glibc.close(epoll) }

    /// The number of connections waiting now.
    var count: Int { parked.withLock { $0.count } }

    /// Starts the loop's thread.
    func start(_ handlers: Handlers) {
        started.withLock { $0 = handlers }
        let thread = Thread { [self] in
            Thread.current.name = HTTPServer.loopThreadName  // set from the thread itself: Linux applies it then
            self.run(handlers)
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Stops the loop at its next wake-up; connections still waiting then are expired.
    func stop() { stopped.store(true, ordering: .relaxed) }

    /// Waits for `connection` to be readable (then `ready`) until `waiting.deadline` (then `expire`).
    ///
    /// - Parameter drained: the caller is this loop and its last read drained the socket: the watch stays armed as it
    ///   is, no system call.
    func park(_ connection: Connection, _ waiting: Waiting, drained: Bool = false) {
        // A connection that has not yet come back for a second request (parked after its accept and after its first
        // answer) frees its buffer at once, as a client that asks once and then idles would hold it for nothing; one
        // that keeps coming back keeps it until the sweep finds it quiet.
        if connection.timesParked < 2 { connection.releaseBufferIfEmpty() }
        connection.timesParked &+= connection.timesParked < 255 ? 1 : 0
        let since = Self.now()
        parked.withLock { $0[connection.fd] = Parked(connection: connection, waiting: waiting, since: since) }
        guard !(drained && connection.isWatched && connection.isArmed) else { return }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        event.data.fd = connection.fd
        let watched = connection.isWatched
        connection.isWatched = true
        connection.isArmed = true
        if epoll_ctl(epoll, watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, connection.fd, &event) != 0 {
            // Cannot wait on it (out of memory for epoll): hand it on at once, as if it were readable.
            if let entry = take(connection.fd, disarm: false) {
                connection.isWatched = watched
                if let handlers = started.withLock({ $0 }) { handlers.ready(entry.connection, entry.waiting) } else { entry.connection.close() }
            }
        }
    }

    /// Stops reporting `connection`'s readiness while a worker serves it (``park(_:_:drained:)`` re-arms it).
    func disarm(_ connection: Connection) {
        guard connection.isWatched, connection.isArmed else { return }
        connection.isArmed = false
        var event = epoll_event()
        event.events = EPOLLONESHOT.rawValue
        event.data.fd = connection.fd
        _ = epoll_ctl(epoll, EPOLL_CTL_MOD, connection.fd, &event)
    }

    /// Monotonic seconds, the clock of deadlines.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Takes a connection out of the table; `disarm` also removes it from epoll (the expiry sweep does: the watch of a
    /// connection whose readiness is handled stays, and is re-armed or disarmed by whoever serves it).
    private func take(_ fd: Int32, disarm: Bool) -> Parked? {
        guard let entry = parked.withLock({ $0.removeValue(forKey: fd) }) else { return nil }
        if disarm {
            _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
            entry.connection.isWatched = false
            entry.connection.isArmed = false
        }
        return entry
    }

    private func run(_ handlers: Handlers) {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var lastSweep = Self.now()
        while true {
            let ready = events.withUnsafeMutableBufferPointer { epoll_wait(epoll, $0.baseAddress, Int32($0.count), 250) }
            if ready > 0 {
                for index in 0..<Int(ready) {
                    if let entry = take(events[index].data.fd, disarm: false) { handlers.ready(entry.connection, entry.waiting) }
                }
            }
            let stopping = stopped.load(ordering: .relaxed)
            // Deadlines are whole seconds or more, so a sweep every 250 ms is precise enough, and costs nothing per request.
            let time = Self.now()
            guard stopping || time - lastSweep >= 0.25 else { continue }
            lastSweep = time
            // Under the table's lock, which every taker holds, so no thread is serving these connections meanwhile.
            let expired = parked.withLock { table in
                var expired: [Int32] = []
                for (fd, entry) in table {
                    if time - entry.since >= Self.bufferKeptFor { entry.connection.releaseBufferIfEmpty() }
                    if stopping || entry.waiting.deadline <= time { expired.append(fd) }
                }
                return expired
            }
            for fd in expired {
                if let entry = take(fd, disarm: true) { handlers.expire(entry.connection, entry.waiting) }
            }
            if stopping { return }
        }
    }
}
