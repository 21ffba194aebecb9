import SigV4

/// One S3-compatible endpoint and how buckets are addressed on it.
///
/// Addressing follows botocore, so that presigned URLs are the ones the AWS CLI makes:
/// - on AWS with `.auto`, a DNS-compatible bucket without dots is virtual-hosted on `s3.amazonaws.com`,
///   any other bucket is path-style on `s3.amazonaws.com` (us-east-1) or `s3.<region>.amazonaws.com`;
/// - on a custom endpoint (MinIO, RGW, R2, the embedded store), `.auto` means path-style.
public struct S3Endpoint: Sendable, Hashable {
    /// Path-style (`host/bucket/key`) or virtual-hosted (`bucket.host/key`) addressing.
    public enum Addressing: String, Sendable, Hashable, CaseIterable {
        case auto
        case path
        case virtualHosted = "virtual"
    }

    /// `http` or `https`.
    public var scheme: String
    /// The host, with `:port` when it is not the scheme's default.
    public var host: String
    public var region: String
    public var addressing: Addressing
    /// Whether this is AWS's own endpoint, chosen because none was configured.
    public var isAWS: Bool

    /// AWS S3 in `region`.
    public static func aws(region: String, addressing: Addressing = .auto) -> S3Endpoint {
        let host = region == "us-east-1" ? "s3.amazonaws.com" : "s3.\(region).amazonaws.com"
        return S3Endpoint(scheme: "https", host: host, region: region, addressing: addressing, isAWS: true)
    }

    public init(scheme: String, host: String, region: String, addressing: Addressing = .auto, isAWS: Bool = false) {
        self.scheme = scheme
        self.host = host
        self.region = region
        self.addressing = addressing
        self.isAWS = isAWS
    }

    /// Parses an endpoint URL such as `http://127.0.0.1:5002`; `nil` uses AWS.
    public init(url: String?, region: String, addressing: Addressing = .auto) throws(S3ConfigurationError) {
        guard let url, !url.isEmpty else {
            self = .aws(region: region, addressing: addressing)
            return
        }
        guard let separator = url.range(of: "://") else { throw S3ConfigurationError("The endpoint '\(url)' needs a scheme: http:// or https://.") }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw S3ConfigurationError("The endpoint '\(url)' must use http or https.") }
        var host = url[separator.upperBound...]
        while host.hasSuffix("/") { host = host.dropLast() }
        guard !host.isEmpty, !host.contains("/"), !host.contains("?"), !host.contains("@"), !host.contains(" ") else {
            throw S3ConfigurationError("The endpoint '\(url)' must be scheme://host[:port], with no path, query or user.")
        }
        var normalized = host.lowercased()
        if (scheme == "http" && normalized.hasSuffix(":80")) || (scheme == "https" && normalized.hasSuffix(":443")) {
            normalized = String(normalized[..<normalized.lastIndex(of: ":")!])
        }
        self.init(scheme: scheme, host: normalized, region: region, addressing: addressing)
    }

    /// The base URL, `scheme://host`.
    public var url: String { "\(scheme)://\(host)" }

    /// Where an object lives: the `Host` header value and the wire path (the key encoded once, `/` kept).
    public func location(bucket: String, key: String) -> (host: String, path: String) {
        let (host, path) = objectLocation(bucket: bucket, key: key)
        return (host, path.wirePath)
    }

    /// Where an object lives: the `Host` header value and the path's parts, for presigning straight from them.
    public func objectLocation(bucket: String, key: String) -> (host: String, path: ObjectPath) {
        guard usesVirtualHost(for: bucket) else { return (host, ObjectPath(bucket: bucket, key: key)) }
        return (bucket + (isAWS && addressing == .auto ? ".s3.amazonaws.com" : "." + host), ObjectPath(bucket: nil, key: key))
    }

    /// Whether `bucket` is addressed as a subdomain.
    public func usesVirtualHost(for bucket: String) -> Bool {
        switch addressing {
        case .path: false
        case .virtualHosted: true
        case .auto: isAWS && Self.isVirtualHostable(bucket)
        }
    }

    /// botocore's test: 3 to 63 lowercase letters, digits and inner hyphens, no dots (they break TLS wildcards).
    static func isVirtualHostable(_ bucket: String) -> Bool {
        return bucket.withUTF8Bytes { bytes in
            guard (3...63).contains(bytes.count), bytes.first != 0x2D, bytes.last != 0x2D else { return false }
            return bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        }
    }
}

/// A setting that makes no valid endpoint or request; its message names the setting.
public struct S3ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
