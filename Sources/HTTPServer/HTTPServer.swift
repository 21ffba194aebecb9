import Foundation
import Synchronization

/// A strict HTTP/1.1 server on plain sockets; TCP_NODELAY on every socket; bounded connections, buffers and timeouts.
///
/// One epoll ``EventLoop`` per core holds the connections, reads their heads and their bodies (until whole, or until
/// `limits.bodyReadyBytes` have come), and answers on the spot the requests a handler says never block
/// (``HTTPHandler/answersOnEventLoop(_:)``). Every other request then waits for one of `limits.workers` threads, which
/// may block; past `limits.queuedRequests` waiting, it is answered 503. A connection waiting for bytes holds no thread,
/// so threads and memory are bounded by the limits, not by what clients send.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), handler: router)
/// let port = try server.start()
/// …
/// server.shutdown()   // stop accepting, let in-flight requests finish within the grace period
/// ```
public final class HTTPServer: Sendable {
    /// Where to listen and how to behave.
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port; ``HTTPServer/port`` tells which.
        public var port: Int
        public var limits: HTTPLimits
        /// Called once per answered request.
        public var accessLog: (@Sendable (AccessLogEntry) -> Void)?
        /// Called with an unexpected error a handler threw (answered as a bare 500).
        public var onUnexpectedError: (@Sendable (any Error, HTTPRequest) -> Void)?

        public init(host: String = "127.0.0.1", port: Int = 0, limits: HTTPLimits = HTTPLimits()) {
            self.host = host
            self.port = port
            self.limits = limits
        }
    }

    struct State {
        var listener: Int32 = -1
        var port = 0
        var connections: [Int32: Connection] = [:]
        /// Open connections by client address (the peer without its port).
        var perClient: [String: Int] = [:]
        var stopped = false
    }

    public let configuration: Configuration
    let handler: any HTTPHandler
    /// Changed only when connections open and close, never per request (a per-request lock serializes 64 threads).
    let state = Mutex(State())
    let stopping = Atomic<Bool>(false)
    let finished = DispatchSemaphore(value: 0)
    /// Signalled when the last connection is released after shutdown began.
    let drained = DispatchSemaphore(value: 0)

    /// The handler's redacted query parameters, lowercased once.
    let redacted: Set<String>
    /// Where connections wait without a thread, one loop per core.
    let loops: [EventLoop]
    /// The threads that run handlers which may block.
    let workers: WorkerPool
    /// Body bytes the loops hold now, all connections together (bounded by `limits.bufferedBodyBytes`).
    let bodyBytesHeld = Atomic<Int>(0)
    /// Workers reading a streamed body now (bounded by ``streamingWorkerLimit``).
    let streamingWorkers = Atomic<Int>(0)
    let streamingWorkerLimit: Int

    public init(configuration: Configuration, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        self.redacted = Set(handler.redactedQueryParameters.map { $0.lowercased() })
        let count = max(1, min(configuration.limits.eventLoops, 64))
        self.loops = (0..<count).compactMap { _ in try? EventLoop() }
        let limits = configuration.limits
        self.workers = WorkerPool(threads: limits.workers, queueLimit: limits.queuedRequests)
        self.streamingWorkerLimit = limits.streamingWorkers > 0 ? limits.streamingWorkers : max(1, limits.workers / 2)
    }

    /// Threads running or waiting to run handlers now (at most `limits.workers`).
    public var workerThreadCount: Int { workers.threadCount }

    /// Connections waiting for a request without a thread.
    public var parkedConnectionCount: Int { loops.reduce(0) { $0 + $1.count } }

    /// The port the server listens on (after ``start()``).
    public var port: Int { state.withLock { $0.port } }

    /// The number of open connections.
    public var connectionCount: Int { state.withLock { $0.connections.count } }

    /// Binds and starts accepting on a background thread; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        guard !loops.isEmpty else { throw SocketError("epoll_create1") }
        let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port)
        state.withLock {
            $0.listener = fd
            $0.port = port
        }
        for loop in loops { loop.start(loopHandlers) }
        spawn { self.acceptLoop(fd) }
        return port
    }

    /// Stops accepting, wakes idle connections, waits up to the grace period for requests in flight,
    /// then closes whatever is left. Safe to call more than once.
    public func shutdown() {
        guard stopping.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
        let listener: Int32? = state.withLock { state in
            for (fd, connection) in state.connections where !connection.isBusy { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
            return state.listener
        }
        guard let listener else { return }
        _ = Glibc.shutdown(listener, Int32(SHUT_RDWR))
        if connectionCount > 0 { _ = drained.wait(timeout: .now() + configuration.limits.shutdownGracePeriod) }
        let left = state.withLock { state in
            for fd in state.connections.keys { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
            return state.connections.count
        }
        if left > 0 { _ = drained.wait(timeout: .now() + 2) }
        for loop in loops { loop.stop() }
        state.withLock { $0.stopped = true }
        _ = Glibc.close(listener)
        finished.signal()
    }

    /// Blocks until ``shutdown()`` completes.
    public func waitUntilStopped() {
        finished.wait()
        finished.signal()
    }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    func acceptLoop(_ listener: Int32) {
        while true {
            guard let (fd, peer) = (try? Socket.accept(listener)) ?? nil else { return }
            let connection = Connection(fd: fd, peer: peer)
            let limits = configuration.limits
            // Only a server with a per-client bound counts the client.
            let client = connection.client
            let bounded = limits.maximumConnectionsPerClient > 0 && !limits.connectionBoundExemptions.contains(client)
            let refusal = state.withLock { state -> String? in
                guard !isStopping, state.connections.count < limits.maximumConnections else {
                    return "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                }
                if bounded {
                    guard state.perClient[client, default: 0] < limits.maximumConnectionsPerClient else {
                        return "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    }
                    state.perClient[client, default: 0] += 1
                }
                state.connections[fd] = connection
                return nil
            }
            if let refusal {
                _ = refusal.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                connection.close()
                continue
            }
            Socket.configureAccepted(fd, sendTimeout: configuration.limits.idleTimeout)
            let headDeadline = Date().addingTimeInterval(limits.headerTimeout)
            park(connection, EventLoop.Waiting(deadline: EventLoop.now() + limits.headerTimeout, headDeadline: headDeadline))
        }
    }

    /// Marks a connection busy (in a request) or idle (between requests); false when the server is stopping.
    ///
    /// Lock-free: shutdown reads the flag to wake only idle connections, and a connection that turns
    /// idle after shutdown began sees `stopping` here and closes itself.
    func setBusy(_ connection: Connection, _ busy: Bool) -> Bool {
        connection.busy.store(busy, ordering: .sequentiallyConsistent)
        return !stopping.load(ordering: .sequentiallyConsistent)
    }

    /// Forgets and closes a connection; the fd leaves the registry before it is closed, so shutdown never touches a reused fd.
    func release(_ connection: Connection) {
        releaseBody(connection)
        let client = connection.client
        let empty = state.withLock { state in
            if state.connections.removeValue(forKey: connection.fd) != nil, let count = state.perClient[client] {
                state.perClient[client] = count > 1 ? count - 1 : nil
            }
            connection.close()
            return state.connections.isEmpty
        }
        if empty, isStopping { drained.signal() }
    }

    /// The address part of a peer as the server reports it, `address:port` or `[v6]:port`.
    public static func host(ofPeer peer: String) -> Substring {
        if peer.hasPrefix("["), let close = peer.firstIndex(of: "]") { return peer[peer.index(after: peer.startIndex)..<close] }
        guard let colon = peer.lastIndex(of: ":") else { return Substring(peer) }
        return peer[..<colon]
    }

    /// The name of the worker threads and of the event loops' threads (in `top -H`, a debugger, and for tests that
    /// check where a request ran).
    public static let workerThreadName = "http-worker"
    public static let loopThreadName = "http-loop"

    func spawn(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = 1 << 20
        thread.start()
    }
}
