/// A parsed request head. The body is read through ``HTTPRequestBody``.
public struct HTTPRequest: Sendable {
    /// How the body is delimited (RFC 9112 section 6).
    public enum BodyFraming: Sendable, Hashable {
        case none
        case length(Int64)
        case chunked
    }

    public var method: String
    /// The request target exactly as sent (`/bucket/a%20b?uploads`).
    public var target: String
    /// The target's path, still percent-encoded.
    public var path: String
    /// The target's query without `?`, still percent-encoded; `nil` when there is none.
    public var query: String?
    /// `(1, 1)` or `(1, 0)`.
    public var version: (major: Int, minor: Int)
    public var headers: HTTPHeaders
    public var framing: BodyFraming
    /// The client sent `Expect: 100-continue`.
    public var expectsContinue: Bool
    /// The connection may serve another request after this one.
    public var keepAlive: Bool
    /// Parameters captured by the route pattern (`{id}`), percent-decoded.
    public var pathParameters: [String: String] = [:]
    /// The peer, as `address:port`.
    public var remoteAddress: String = ""

    public init(
        method: String, target: String, version: (major: Int, minor: Int) = (1, 1), headers: HTTPHeaders = HTTPHeaders(),
        framing: BodyFraming = .none, expectsContinue: Bool = false, keepAlive: Bool = true
    ) {
        self.method = method
        self.target = target
        if let mark = target.utf8.firstIndex(of: 0x3F) {  // "?", found by byte, not by Character
            self.path = String(target[..<mark])
            self.query = String(target[target.utf8.index(after: mark)...])
        } else {
            self.path = target
            self.query = nil
        }
        self.version = version
        self.headers = headers
        self.framing = framing
        self.expectsContinue = expectsContinue
        self.keepAlive = keepAlive
    }

    /// The query's parameters in wire form, split on `&` and the first `=`.
    public var queryItems: [QueryItem] {
        guard let query else { return [] }
        return QueryItem.parse(query)
    }

    /// The percent-decoded value of query parameter `name` (`+` stays a plus).
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }.map { PercentDecoding.decode($0.value) ?? $0.value }
    }

    /// Whether the query has parameter `name` (with or without a value).
    public func hasQueryItem(_ name: String) -> Bool { queryItems.contains { $0.name == name } }
}
