/// Answers requests. Handlers run on the connection's own thread, so they may block (libcurl, disk).
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
}

extension HTTPHandler {
    public func protocolErrorResponse(_ error: HTTPProtocolError, request: HTTPRequest?) -> HTTPResponse {
        HTTPResponse.text(error.status, "\(error.status.code) \(error.status.reason): \(error.message)\n")
    }

    public var redactedQueryParameters: Set<String> { [] }
}

/// A handler made from a closure.
public struct HTTPHandlerFunction: HTTPHandler {
    let body: @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPResponse

    public init(_ body: @escaping @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPResponse) { self.body = body }

    public func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        try self.body(request, body)
    }
}
