import Foundation

/// Size limits and timeouts of the server; every one is bounded.
public struct HTTPLimits: Sendable, Hashable {
    /// The longest request line; a longer target gets 414.
    public var maximumRequestLineLength = 8 * 1024
    /// The largest header block (and trailer block); larger gets 431.
    public var maximumHeaderBytes = 32 * 1024
    /// The most header fields; more gets 431.
    public var maximumHeaderCount = 128
    /// The longest chunk extension of a chunked body.
    public var maximumChunkExtensionLength = 4 * 1024
    /// Time for a whole request head to arrive (against slowloris), in seconds.
    public var headerTimeout: Double = 10
    /// The longest silence while reading a body or writing a response; not a total deadline.
    public var idleTimeout: Double = 60
    /// How long a kept-alive connection may wait for its next request.
    public var keepAliveTimeout: Double = 30
    /// Threads that run handlers which may block (disk, libcurl): a fixed pool, whatever clients do. Requests wait in
    /// a queue for one; connections waiting for bytes hold none.
    public var workers = HTTPLimits.defaultWorkers
    /// Requests that may wait for a worker; past this many, a request is answered 503 with `Retry-After`.
    public var queuedRequests = 1_024
    /// A streamed request body (see ``HTTPHandler/bufferedBodyLimit(_:)``) is read by the event loops until it is whole
    /// or this many bytes have come, and only then is the request given to a worker: a slow body costs a buffer of at
    /// most this size, never a thread.
    public var bodyReadyBytes = 64 * 1024
    /// Workers that may be reading the rest of a streamed body at once (0: half of `workers`); more wait on their loop,
    /// unread, for one to finish, so that slow uploads cannot take every worker.
    public var streamingWorkers = 0
    /// Body bytes the loops may hold at once, all connections together; a body that would pass it is refused 503.
    public var bufferedBodyBytes = 256 << 20
    /// The number of event loops (threads on epoll): one per core unless set.
    public var eventLoops = HTTPLimits.coreCount
    /// How long shutdown waits for in-flight requests.
    public var shutdownGracePeriod: Double = 10
    /// The most connections served at once; more are answered 503 and closed.
    public var maximumConnections = 4_096
    /// The most connections one client address may hold at once; more are answered 429 and closed (0: no bound).
    public var maximumConnectionsPerClient = 256
    /// Addresses the per-client bound does not apply to (reverse proxies, which carry many clients).
    public var connectionBoundExemptions: Set<String> = []
    /// The lowest average rate a request body may arrive at, in bytes a second, once `bodyRateGracePeriod` has
    /// passed (like Apache's mod_reqtimeout `MinRate`); slower gets 408 and the connection closes (0: no bound).
    public var minimumBodyRate: Double = 1_024
    /// Seconds a body may take before its average rate is held to `minimumBodyRate`.
    public var bodyRateGracePeriod: Double = 10

    public init() {}

    /// The cores this process may use, at least 1 (read once: Foundation reads cgroup files to tell).
    public static let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// 16 workers a core, between 16 and 64: handlers mostly wait on the store, not on the CPU.
    public static let defaultWorkers = min(64, max(16, 16 * coreCount))
}
