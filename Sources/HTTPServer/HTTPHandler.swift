/// Answers requests. Handlers run on the connection's own thread, so they may block (libcurl, disk).
public protocol HTTPHandler: Sendable {
    /// Returns the response to `request`; read `body` as needed (or not at all).
    ///
    /// A thrown ``HTTPResponseError`` renders itself; an ``HTTPProtocolError`` gets the server's error
    /// page; anything else becomes a 500 that reveals nothing.
    func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse
}

/// A handler made from a closure.
public struct HTTPHandlerFunction: HTTPHandler {
    let body: @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPResponse

    public init(_ body: @escaping @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPResponse) { self.body = body }

    public func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        try self.body(request, body)
    }
}
