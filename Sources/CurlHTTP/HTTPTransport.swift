import HTTPWire

/// How `S3Client` and ``WebClient`` requests reach a server: libcurl by default. Tests can answer them
/// in-process (for example with the embedded store's handler) without sockets.
public protocol HTTPTransport: Sendable {
    /// Performs one exchange; `progress` gets (bytes sent, bytes received) as they move.
    func perform(_ call: HTTPCall, progress: ((Int64, Int64) -> Void)?) throws -> HTTPCallResponse
}

/// One HTTP request: method, absolute URL, headers, a body from memory or a file, and where the answer goes.
public struct HTTPCall: Sendable {
    /// The request body.
    public enum Body: Sendable {
        case none
        case bytes([UInt8])
        /// `length` bytes of an open file from `offset`, read with pread (so parts of one file can go in parallel).
        case file(fd: Int32, offset: Int64, length: Int64)
    }

    /// Where the response body goes.
    public enum Sink: Sendable {
        /// Into ``HTTPCallResponse/body``, refusing more than `limit` bytes.
        case memory(limit: Int)
        /// Written to an open file from its current offset.
        case file(fd: Int32)
        /// Handed to `consumer` piece by piece as it arrives (a 2xx body only; an error body goes to memory, bounded),
        /// so memory stays flat; `consumer` returns false to abort the transfer.
        case stream(@Sendable (UnsafeRawBufferPointer) -> Bool)
    }

    public var method: String
    public var url: String
    public var headers: HTTPHeaders
    public var body: Body
    public var sink: Sink
    /// File transfers: no total deadline, only the stall timeout.
    public var isLongTransfer: Bool
    /// The most bytes a second to send (a user's `--limit-rate`); nil sends as fast as the network goes.
    public var maxSendRate: Int64? = nil
    /// Connect only to this address (a `host:port:address` entry of libcurl's `CURLOPT_RESOLVE`), with no proxy: a
    /// caller that checked where a name resolves (a webhook's target) makes sure the connection goes there and nowhere
    /// a second lookup might say.
    public var pinnedAddress: String? = nil

    public init(
        method: String, url: String, headers: HTTPHeaders, body: Body = .none, sink: Sink = .memory(limit: 16 * 1024 * 1024),
        isLongTransfer: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.sink = sink
        self.isLongTransfer = isLongTransfer
    }
}

/// The answer to an ``HTTPCall``: status, headers, and the body when it went to memory.
public struct HTTPCallResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers[name] }
}
