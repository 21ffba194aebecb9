/// Answers requests. Handlers run on a worker thread, so they may block (libcurl, disk), unless they say a request
/// is answered on the event loop (``answersOnEventLoop(_:)``).
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

    /// Whether `request` is answered on the event loop that read it, with no thread hand-off, by
    /// ``respondOnEventLoop(to:body:)``: true only for routes whose work on the loop never blocks (no disk, no
    /// network, no lock held for long). Its body, when it has one, is then in memory. The default is false.
    func answersOnEventLoop(_ request: HTTPRequest) -> Bool

    /// Answers, on the event loop, a request ``answersOnEventLoop(_:)`` accepted: with the response, or, when what the
    /// request asks turns out to need blocking work, with that work, which a worker then does (the request is not
    /// parsed or checked again). The default answers with ``respond(to:body:)``.
    func respondOnEventLoop(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPLoopAnswer

    /// The largest body of `request` the server reads whole into memory, on its event loop, before calling the handler,
    /// which then reads it without waiting (a larger declared body is refused 413 there). `nil`, the default: the body
    /// streams; the handler is called once `limits.bodyReadyBytes` of it have come and reads the rest as it arrives,
    /// holding one of `limits.streamingWorkers` meanwhile.
    func bufferedBodyLimit(_ request: HTTPRequest) -> Int?
}

/// What a handler answering on the event loop returns (see ``HTTPHandler/respondOnEventLoop(to:body:)``).
public enum HTTPLoopAnswer: Sendable {
    /// The response, sent from the loop.
    case response(HTTPResponse)
    /// The rest of the work, which may block: a worker does it and sends what it returns (or the error it throws,
    /// rendered as ``HTTPHandler/respond(to:body:)``'s are).
    case onWorker(@Sendable () throws -> HTTPResponse)
}

/// Thrown by the first read of a body whose client waits for `100 Continue` (see
/// ``HTTPRequestBody/continuesOnLoop``): the server then says `100 Continue`, reads the body on its event loop, and
/// calls the handler again once the body is ready. A handler lets it through (never catches it), and meets it before
/// spending anything (see ``HTTPRequestBody/requireReady()``).
public struct HTTPBodyAfterContinue: Error, Sendable {
    public init() {}
}

extension HTTPHandler {
    public func protocolErrorResponse(_ error: HTTPProtocolError, request: HTTPRequest?) -> HTTPResponse {
        HTTPResponse.text(error.status, "\(error.status.code) \(error.status.reason): \(error.message)\n")
    }

    public var redactedQueryParameters: Set<String> { [] }

    public func answersOnEventLoop(_ request: HTTPRequest) -> Bool { false }

    public func respondOnEventLoop(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPLoopAnswer {
        .response(try respond(to: request, body: body))
    }

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
