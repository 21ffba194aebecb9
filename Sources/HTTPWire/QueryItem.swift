/// One query parameter in wire form: `response-content-type=text%2Fplain` is the name
/// `response-content-type` and the value `text%2Fplain`; nothing is decoded.
public struct QueryItem: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// The one query parser: splits a wire query string on `&` and each parameter on its first `=`; empty
    /// parameters are dropped and nothing is decoded (`a=1&&b` gives `a`=`1` and `b`=``).
    public static func parse(_ query: some StringProtocol) -> [QueryItem] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return QueryItem(String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
            }
            return QueryItem(String(pair), "")
        }
    }
}
