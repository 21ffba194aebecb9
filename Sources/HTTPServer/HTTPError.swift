/// A request the server refuses before any handler sees it (malformed, too large, too slow).
public struct HTTPProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: HTTPStatus
    /// What was wrong, in words a client developer can act on.
    public var message: String

    public init(_ status: HTTPStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code): \(message)" }

    static func badRequest(_ message: String) -> HTTPProtocolError { HTTPProtocolError(400, message) }

    /// 408: a head that did not arrive within `limits.headerTimeout`.
    static func headTimedOut(_ limits: HTTPLimits) -> HTTPProtocolError {
        HTTPProtocolError(408, "The request head did not arrive within \(Int(limits.headerTimeout)) seconds.")
    }
}
