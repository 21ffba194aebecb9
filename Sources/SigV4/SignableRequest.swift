/// The parts of an HTTP request that SigV4 covers.
///
/// The path and the query are in their wire form, percent-encoded as they appear in the request line.
public struct SignableRequest: Sendable, Hashable {
    /// One header field; names compare case-insensitively when signing.
    public typealias Header = HTTPHeaders.Field

    /// One query parameter in wire form (`response-content-type=text%2Fplain`).
    public typealias QueryItem = HTTPWire.QueryItem

    public var method: String
    /// The path as sent, for example `/bucket/a%20b.txt`.
    public var path: String
    public var query: [QueryItem]
    public var headers: HTTPHeaders
    /// Set when ``path`` is already its own canonical form, each byte outside the unreserved set and `/` encoded once
    /// with uppercase hex, as `PercentEncoding.append(string:to:keepingSlash: true)` writes it. S3 signing then copies
    /// the path instead of checking it. A client that built the path itself sets it; a verifier never does.
    public var pathIsCanonical: Bool

    public init(method: String, path: String, query: [QueryItem] = [], headers: HTTPHeaders = [], pathIsCanonical: Bool = false) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.pathIsCanonical = pathIsCanonical
    }

    /// Splits a request target such as `/bucket/key?uploads&partNumber=2` into path and query.
    public init(method: String, target: String, headers: HTTPHeaders = []) {
        if let mark = target.firstIndex(of: "?") {
            self.init(
                method: method, path: String(target[..<mark]), query: QueryItem.parse(target[target.index(after: mark)...]), headers: headers)
        } else {
            self.init(method: method, path: target, headers: headers)
        }
    }

    /// The values of the header `name` (case-insensitive), in order.
    public func headerValues(_ name: String) -> [String] { headers.values(name) }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers[name] }

    /// The first value of the query parameter `name` (exact, wire form), percent-decoded.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }.map { PercentDecoding.decode($0.value) ?? $0.value }
    }
}

enum ASCII {
    @inline(__always)
    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
