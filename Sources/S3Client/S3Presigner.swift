import Foundation
import SigV4

/// Presigns S3 object operations for one endpoint, bucket-agnostic.
///
/// ```swift
/// let presigner = S3Presigner(endpoint: .aws(region: "us-east-1"), credentials: credentials)
/// let url = try presigner.url(method: "PUT", bucket: "uploads", key: "a b.png", expires: 900,
///                             headers: [.init("Content-Type", "image/png")])
/// ```
public struct S3Presigner: Sendable {
    public var endpoint: S3Endpoint {
        didSet { virtualHost = nil }
    }
    public var signer: Signer
    /// The subdomain host of the bucket named at init, when it has one, worked out once instead of per URL.
    private var virtualHost: (bucket: String, host: String)?

    /// - Parameters:
    ///   - bucket: the bucket most URLs are for, whose virtual host (`bucket.s3.amazonaws.com`) is then made once.
    ///     Any bucket can still be presigned.
    ///   - now: the clock URLs are dated by.
    public init(
        endpoint: S3Endpoint, credentials: Credentials, bucket: String? = nil, keyCache: SigningKeyCache = SigningKeyCache(capacity: 64),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.endpoint = endpoint
        self.signer = Signer(credentials: credentials, region: endpoint.region, service: "s3", options: .s3, keyCache: keyCache, now: now)
        if let bucket, endpoint.usesVirtualHost(for: bucket) {
            virtualHost = (bucket, endpoint.objectLocation(bucket: bucket, key: "").host)
        }
    }

    /// A presigned URL for `method` on `bucket`/`key`.
    ///
    /// - Parameters:
    ///   - query: operation parameters in wire form (`partNumber`, `uploadId`, `response-content-disposition`).
    ///   - headers: headers the client must send, and that are signed (`Content-Type`, `Content-Length`,
    ///     `x-amz-checksum-sha256`, `If-None-Match`, `x-amz-meta-*`); `host` is added.
    public func url(
        method: String, bucket: String, key: String, expires: Int, query: [SignableRequest.QueryItem] = [],
        headers: HTTPHeaders = [], date: AmzDate? = nil
    ) throws(SigV4Error) -> String {
        let (host, path) =
            if let virtualHost, virtualHost.bucket == bucket {
                (virtualHost.host, ObjectPath(bucket: nil, key: key))
            } else {
                endpoint.objectLocation(bucket: bucket, key: key)
            }
        // The signer encodes the path from its parts, exactly as the canonical URI wants it.
        let request = SignableRequest(method: method, path: "", query: query, headers: headers)
        return try signer.presignedURL(request, objectPath: path, host: host, scheme: endpoint.scheme, expires: expires, date: date)
    }
}
