/// The parts of an HTTP request that SigV4 covers.
///
/// The path and the query are in their wire form, percent-encoded as they appear in the request line.
public struct SignableRequest: Sendable, Hashable {
    /// One header field; names compare case-insensitively when signing.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One query parameter in wire form (`response-content-type=text%2Fplain`).
    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var method: String
    /// The path as sent, for example `/bucket/a%20b.txt`.
    public var path: String
    public var query: [QueryItem]
    public var headers: [Header]

    public init(method: String, path: String, query: [QueryItem] = [], headers: [Header] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }

    /// Splits a request target such as `/bucket/key?uploads&partNumber=2` into path and query.
    public init(method: String, target: String, headers: [Header] = []) {
        if let mark = target.firstIndex(of: "?") {
            self.init(
                method: method, path: String(target[..<mark]), query: Self.parseQuery(target[target.index(after: mark)...]), headers: headers)
        } else {
            self.init(method: method, path: target, headers: headers)
        }
    }

    /// Splits a wire query string on `&` and each parameter on its first `=`; nothing is decoded.
    public static func parseQuery(_ query: some StringProtocol) -> [QueryItem] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return QueryItem(String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
            }
            return QueryItem(String(pair), "")
        }
    }

    /// The values of the header `name` (case-insensitive), in order.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// The first value of the query parameter `name` (exact, wire form), percent-decoded.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }.map { PercentEncoding.decode($0.value) ?? $0.value }
    }
}

extension String {
    /// ASCII case-insensitive equality, without allocating.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        for (a, b) in zip(utf8, other.utf8) where ASCII.lowercase(a) != ASCII.lowercase(b) {
            return false
        }
        return true
    }
}

enum ASCII {
    @inline(__always)
    static func lowercase(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}
