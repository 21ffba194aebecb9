import CEpoll
import Foundation
import Glibc
import Synchronization

/// Where quiet connections wait without a thread: a kept-alive connection between requests, or one whose head is
/// slow to come. One thread waits on epoll for all of them; a connection that has bytes to read (or hangs up) goes
/// back to a thread of its own, and one that stays quiet past its deadline is handed to `expire`. A parked connection
/// costs its socket and, when nothing is buffered, no buffer.
final class ConnectionParking: Sendable {
    private struct Parked {
        var connection: Connection
        var deadline: Double
        var resume: @Sendable (Connection) -> Void
        var expire: @Sendable (Connection) -> Void
    }

    private let epoll: Int32
    private let parked = Mutex([Int32: Parked]())
    private let stopped = Atomic<Bool>(false)

    init() throws {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SocketError("epoll_create1") }
    }

    deinit { Glibc.close(epoll) }

    /// The number of connections parked now.
    var count: Int { parked.withLock { $0.count } }

    /// Starts the waiting thread.
    func start() {
        let thread = Thread { [self] in self.run() }
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Stops the waiting thread at its next wake-up; connections still parked then are expired.
    func stop() { stopped.store(true, ordering: .relaxed) }

    /// Parks `connection` until it is readable (then `resume`) or `deadline` (monotonic seconds) passes (then `expire`).
    func park(
        _ connection: Connection, until deadline: Double, resume: @escaping @Sendable (Connection) -> Void,
        expire: @escaping @Sendable (Connection) -> Void
    ) {
        connection.releaseBufferIfEmpty()
        parked.withLock { $0[connection.fd] = Parked(connection: connection, deadline: deadline, resume: resume, expire: expire) }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLONESHOT.rawValue
        event.data.fd = connection.fd
        if epoll_ctl(epoll, EPOLL_CTL_ADD, connection.fd, &event) != 0 {
            // Cannot wait on it (out of memory for epoll): give it straight back, as if it were readable.
            if let entry = take(connection.fd) { entry.resume(entry.connection) }
        }
    }

    /// Monotonic seconds, the clock of deadlines.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    private func take(_ fd: Int32) -> Parked? {
        guard let entry = parked.withLock({ $0.removeValue(forKey: fd) }) else { return nil }
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
        return entry
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var lastSweep = Self.now()
        while true {
            let ready = events.withUnsafeMutableBufferPointer { epoll_wait(epoll, $0.baseAddress, Int32($0.count), 250) }
            if ready > 0 {
                for index in 0..<Int(ready) {
                    if let entry = take(events[index].data.fd) { entry.resume(entry.connection) }
                }
            }
            let time = Self.now()
            let stopping = stopped.load(ordering: .relaxed)
            guard stopping || time - lastSweep >= 0.25 else { continue }
            lastSweep = time
            let expired = parked.withLock { table in table.filter { stopping || $0.value.deadline <= time }.map(\.key) }
            for fd in expired {
                if let entry = take(fd) { entry.expire(entry.connection) }
            }
            if stopping { return }
        }
    }
}
