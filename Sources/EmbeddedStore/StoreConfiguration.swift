import SigV4

/// How the embedded store runs: where its data lives, who may sign, which buckets exist, CORS.
public struct StoreConfiguration: Sendable {
    public var dataDirectory: String
    /// The region requests must be scoped to.
    public var region: String
    /// The access keys that may sign requests.
    public var credentials: [Credentials]
    /// Buckets created at start if missing.
    public var buckets: [String]
    /// CORS rules by bucket name; `*` applies to every bucket without its own rules.
    public var cors: [String: [CORSRule]]
    /// Host suffixes for virtual-hosted addressing: `BUCKET.localhost`.
    public var virtualHostSuffixes: [String]
    /// Multipart uploads untouched for this long are removed.
    public var staleMultipartAge: Double
    /// The largest single PUT (S3: 5 GiB).
    public var maximumObjectSize: Int64
    /// How far header-auth dates may be from the clock, in seconds.
    public var maximumClockSkew: Int64

    public init(
        dataDirectory: String, region: String = "us-east-1", credentials: [Credentials], buckets: [String] = [],
        cors: [String: [CORSRule]] = [:], virtualHostSuffixes: [String] = ["localhost"], staleMultipartAge: Double = 86_400,
        maximumObjectSize: Int64 = 5 * 1024 * 1024 * 1024, maximumClockSkew: Int64 = 900
    ) {
        self.dataDirectory = dataDirectory
        self.region = region
        self.credentials = credentials
        self.buckets = buckets
        self.cors = cors
        self.virtualHostSuffixes = virtualHostSuffixes
        self.staleMultipartAge = staleMultipartAge
        self.maximumObjectSize = maximumObjectSize
        self.maximumClockSkew = maximumClockSkew
    }
}

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
    func allows(origin: String) -> Bool {
        allowedOrigins.contains { CORSRule.matches(pattern: $0, origin) }
    }

    func allows(method: String) -> Bool { allowedMethods.contains { $0.uppercased() == method.uppercased() } }

    func allows(headers: [String]) -> Bool {
        headers.allSatisfy { header in allowedHeaders.contains { CORSRule.matches(pattern: $0.lowercased(), header.lowercased()) } }
    }

    static func matches(pattern: String, _ value: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return pattern == value }
        let prefix = pattern[..<star]
        let suffix = pattern[pattern.index(after: star)...]
        return value.count >= prefix.count + suffix.count && value.hasPrefix(prefix) && value.hasSuffix(suffix)
    }
}
