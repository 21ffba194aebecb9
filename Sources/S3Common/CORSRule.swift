/// One CORS rule, as in S3's CORSConfiguration.
public struct CORSRule: Sendable, Codable, Hashable {
    public var allowedOrigins: [String]
    public var allowedMethods: [String]
    public var allowedHeaders: [String]
    /// Response headers the browser may read; ETag is exposed by default.
    public var exposeHeaders: [String]
    public var maxAgeSeconds: Int?

    public init(
        allowedOrigins: [String], allowedMethods: [String] = ["GET", "PUT", "POST", "HEAD", "DELETE"], allowedHeaders: [String] = ["*"],
        exposeHeaders: [String] = ["ETag"], maxAgeSeconds: Int? = 3000
    ) {
        self.allowedOrigins = allowedOrigins
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// Whether `origin` matches one of the allowed origins (`*` and one `*` wildcard are supported).
    public func allows(origin: String) -> Bool {
        allowedOrigins.contains { CORSRule.matches(pattern: $0, origin) }
    }

    public func allows(method: String) -> Bool { allowedMethods.contains { $0.uppercased() == method.uppercased() } }

    public func allows(headers: [String]) -> Bool {
        headers.allSatisfy { header in allowedHeaders.contains { CORSRule.matches(pattern: $0.lowercased(), header.lowercased()) } }
    }

    public static func matches(pattern: String, _ value: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return pattern == value }
        let prefix = pattern[..<star]
        let suffix = pattern[pattern.index(after: star)...]
        return value.count >= prefix.count + suffix.count && value.hasPrefix(prefix) && value.hasSuffix(suffix)
    }
}
