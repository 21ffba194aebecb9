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
}
