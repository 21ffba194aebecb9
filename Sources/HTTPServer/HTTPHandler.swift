/// Answers requests. Handlers run on a worker thread, so they may block (libcurl, disk), unless they say a request
/// can be answered on the event loop (``answersOnEventLoop(_:)``).
public protocol HTTPHandler: Sendable {
    /// Returns the response to `request`; read `body` as needed (or not at all).
    ///
    /// A thrown ``HTTPResponseError`` renders itself; an ``HTTPProtocolError`` gets the server's error
    /// page; anything else becomes a 500 that reveals nothing.
    func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse

    /// How this handler's protocol answers a request the server refused before or outside the handler
    /// (400, 408, 413, 414, 431, 500, …): S3 XML from a store, JSON from an API. The default is plain text.
    func protocolErrorResponse(_ error: HTTPProtocolError, request: HTTPRequest?) -> HTTPResponse

    /// Query parameters whose values the access log replaces with `REDACTED` (compared without case):
    /// a store names its signature parameters here. The default is none.
    var redactedQueryParameters: Set<String> { get }

    /// Whether `request` may be answered on the event loop that read it, with no thread hand-off: true only for work
    /// that never blocks (no disk, no network, no lock held for long). Its body, when it has one, is then in memory
    /// and ``HTTPRequestBody/isOnEventLoop`` is true; a handler that finds it must block after all throws
    /// ``HTTPMustBlock`` before doing anything, and is called again on a worker. The default is false.
    func answersOnEventLoop(_ request: HTTPRequest) -> Bool

    /// The largest body of `request` the server reads whole into memory, on its event loop, before calling the handler,
    /// which then reads it without waiting (a larger declared body is refused 413 there). `nil`, the default: the body
    /// streams; the handler is called once `limits.bodyReadyBytes` of it have come and reads the rest as it arrives,
    /// holding one of `limits.streamingWorkers` meanwhile.
    func bufferedBodyLimit(_ request: HTTPRequest) -> Int?
}

/// Thrown by a handler answering on the event loop (``HTTPRequestBody/isOnEventLoop``) that finds it must block: the
/// server calls it again, with the same request and body, on a worker thread. Also thrown by the first read of a body
/// whose client waits for `100 Continue`: the server then reads the body on its event loop and calls the handler again
/// once the body is ready. A handler lets it through (never catches it), and throws it before doing anything else.
public struct HTTPMustBlock: Error, Sendable {
    public init() {}
}

extension HTTPHandler {
    public func protocolErrorResponse(_ error: HTTPProtocolError, request: HTTPRequest?) -> HTTPResponse {
        HTTPResponse.text(error.status, "\(error.status.code) \(error.status.reason): \(error.message)\n")
    }

    public var redactedQueryParameters: Set<String> { [] }

    public func answersOnEventLoop(_ request: HTTPRequest) -> Bool { false }

    public func bufferedBodyLimit(_ request: HTTPRequest) -> Int? { nil }
}

/// A handler made from a closure.
public struct HTTPHandlerFunction: HTTPHandler {
    let body: @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPResponse

    public init(_ body: @escaping @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPResponse) { self.body = body }

    public func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        try self.body(request, body)
    }
}
