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
    /// How much of an unread body the server reads and discards to keep a connection alive.
    public var maximumDrainBytes: Int64 = 256 * 1024
    /// Time for a whole request head to arrive (against slowloris), in seconds.
    public var headerTimeout: Double = 10
    /// The longest silence while reading a body or writing a response; not a total deadline.
    public var idleTimeout: Double = 60
    /// How long a kept-alive connection may wait for its next request.
    public var keepAliveTimeout: Double = 30
    /// After this many seconds without a byte, a connection a worker served that waits for its next request (or for
    /// the rest of a slow head) gives up the thread and goes back to its event loop (0: no event loops at all; every
    /// connection then holds a thread while open).
    public var parkAfter: Double = 0.05
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
}
