import CCurl
import Crypto
import CurlHTTP
import Foundation
import S3Common
import SigV4

/// One S3 endpoint and bucket, and how patient to be with it.
public struct S3ClientConfiguration: Sendable {
    public var endpoint: S3Endpoint
    public var credentials: Credentials
    public var bucket: String
    /// Seconds to establish a connection.
    public var connectTimeout: Double
    /// Seconds for a whole small request (HEAD, DELETE, multipart calls, small GET/PUT).
    public var requestTimeout: Double
    /// Seconds a file transfer may make no progress before it is abandoned (no total deadline).
    public var stallTimeout: Double
    /// The largest response body read into memory.
    public var maximumResponseBytes: Int
    /// Keep connections open between requests (turn off only to measure what reuse saves).
    public var reusesConnections: Bool
    /// The clock requests are signed by.
    public var now: @Sendable () -> Date

    public init(
        endpoint: S3Endpoint, credentials: Credentials, bucket: String, connectTimeout: Double = 5, requestTimeout: Double = 30,
        stallTimeout: Double = 60, maximumResponseBytes: Int = 64 * 1024 * 1024, reusesConnections: Bool = true,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.now = now
        self.reusesConnections = reusesConnections
        self.endpoint = endpoint
        self.credentials = credentials
        self.bucket = bucket
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.stallTimeout = stallTimeout
        self.maximumResponseBytes = maximumResponseBytes
    }
}

/// Signed S3 requests over libcurl, with connections reused between requests.
///
/// Calls block the calling thread (run them on the HTTP server's connection threads, or use the
/// `async` variants, which hop to a dispatch thread and never block the cooperative pool).
/// Every request is signed with an `Authorization` header by ``SigV4``.
public final class S3Client: Sendable {
    public let configuration: S3ClientConfiguration
    let signer: Signer
    let http: any HTTPTransport

    /// - Parameter transport: how requests reach the store; nil is libcurl with the configuration's timeouts.
    public init(
        configuration: S3ClientConfiguration, keyCache: SigningKeyCache = SigningKeyCache(capacity: 16), transport: (any HTTPTransport)? = nil
    ) {
        self.configuration = configuration
        self.signer = Signer(
            credentials: configuration.credentials, region: configuration.endpoint.region, service: "s3", options: .s3, keyCache: keyCache,
            now: configuration.now)
        self.http =
            transport
            ?? CurlHTTPClient(
                endpointDescription: configuration.endpoint.url, connectTimeout: configuration.connectTimeout,
                requestTimeout: configuration.requestTimeout,
                stallTimeout: configuration.stallTimeout, reusesConnections: configuration.reusesConnections)
    }

    /// A request to send.
    struct Request {
        var method: String
        var key: String?
        var query: [SignableRequest.QueryItem] = []
        var headers: HTTPHeaders = []
        var body: HTTPCall.Body = .none
        var payload: Payload = .sha256Hex(Payload.emptySHA256)
        var sink: HTTPCall.Sink? = nil
        var progress: ((Int64, Int64) -> Void)? = nil
        /// File transfers: no total deadline, only the stall timeout.
        var isLongTransfer = false
    }

    /// Signs and sends `request`; a status of 300 or more throws ``S3ClientError``.
    func send(_ request: Request, accepting accepted: Set<Int> = []) throws -> HTTPCallResponse {
        let (host, path) = configuration.endpoint.location(bucket: configuration.bucket, key: request.key ?? "")
        var headers = request.headers
        headers.append(.init("host", host))
        let signed = signer.sign(
            SignableRequest(method: request.method, path: path, query: request.query, headers: headers), payload: request.payload)
        var url = "\(configuration.endpoint.scheme)://\(host)\(path)"
        if !request.query.isEmpty { url += "?" + request.query.map { $0.value.isEmpty ? $0.name : "\($0.name)=\($0.value)" }.joined(separator: "&") }
        let call = HTTPCall(
            method: request.method, url: url, headers: HTTPHeaders(signed.headers.filter { !$0.name.asciiCaseInsensitiveEquals("host") }),
            body: request.body, sink: request.sink ?? .memory(limit: configuration.maximumResponseBytes), isLongTransfer: request.isLongTransfer)
        var response = try http.perform(call, progress: request.progress)
        // A store that is busy says 503 (SlowDown) before it does anything: a read into memory is asked again, twice,
        // a moment later, as S3's own clients do, so a burst at the store does not fail the request that read.
        if request.sink == nil, request.method == "GET" || request.method == "HEAD" {
            for pause in [0.025, 0.1] where response.status == 503 {
                Thread.sleep(forTimeInterval: pause * Double.random(in: 0.5...1.5))
                response = try http.perform(call, progress: request.progress)
            }
        }
        if response.status >= 300 && !accepted.contains(response.status) {
            throw S3ClientError(status: response.status, body: response.body, headers: response.headers)
        }
        return response
    }

    /// The lowercase hex SHA-256 of `bytes`, the payload hash of a small body.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        Hex.string(SHA256.hash(data: bytes))
    }
}
