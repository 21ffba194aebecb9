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
        if let mark = target.firstIndex(of: "?") {
            self.path = String(target[..<mark])
            self.query = String(target[target.index(after: mark)...])
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
    public var queryItems: [(name: String, value: String)] {
        guard let query else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
            }
            return (String(pair), "")
        }
    }

    /// The percent-decoded value of query parameter `name` (`+` stays a plus).
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }.map { PercentDecoding.decode($0.value) ?? $0.value }
    }

    /// Whether the query has parameter `name` (with or without a value).
    public func hasQueryItem(_ name: String) -> Bool { queryItems.contains { $0.name == name } }
}

/// Percent-decoding for paths and query values.
public enum PercentDecoding {
    /// Decodes `%XX`; `nil` when an escape is malformed or the result is not UTF-8.
    public static func decode(_ text: some StringProtocol) -> String? {
        guard text.utf8.contains(0x25) else { return String(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == 0x25 {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                out.append(high << 4 | low)
            } else {
                out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
