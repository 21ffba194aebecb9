import Foundation
import HTTPWire

/// Plain HTTP over libcurl for callers outside S3: the CLI talking to the gateway's JSON API and
/// uploading to presigned URLs. Connections are pooled; every request is bounded in time.
public final class WebClient: Sendable {
    /// A response: status, headers and the body (bounded in memory).
    public typealias Response = HTTPCallResponse

    let http: any HTTPTransport
    /// The most bytes a second each upload sends; nil for no bound.
    let maxSendRate: Int64?

    public init(
        connectTimeout: Double = 10, requestTimeout: Double = 60, stallTimeout: Double = 60, maxSendRate: Int64? = nil,
        transport: (any HTTPTransport)? = nil
    ) {
        self.maxSendRate = maxSendRate
        http =
            transport
            ?? CurlHTTPClient(endpointDescription: "", connectTimeout: connectTimeout, requestTimeout: requestTimeout, stallTimeout: stallTimeout)
    }

    /// Sends a small request; network failures throw ``NetworkError`` naming the URL.
    public func request(method: String, url: String, headers: HTTPHeaders = [], body: [UInt8]? = nil) throws -> Response {
        let call = HTTPCall(method: method, url: url, headers: headers, body: body.map { .bytes($0) } ?? .none)
        return try perform(call, url: url)
    }

    /// Sends a call made by the caller (a pinned address, a bounded answer); network failures throw ``NetworkError``.
    public func send(_ call: HTTPCall) throws -> Response { try perform(call, url: call.url) }

    /// Uploads `length` bytes of an open file from `offset` (safe to call in parallel on one file), reporting bytes sent.
    public func upload(
        method: String = "PUT", url: String, headers: HTTPHeaders, file: Int32, offset: Int64, length: Int64,
        progress: (@Sendable (Int64) -> Void)? = nil
    ) throws -> Response {
        var call = HTTPCall(method: method, url: url, headers: headers, body: .file(fd: file, offset: offset, length: length), isLongTransfer: true)
        call.maxSendRate = maxSendRate
        return try perform(call, url: url, progress: progress.map { report in { sent, _ in report(sent) } })
    }

    /// Streams a GET's 2xx body to `consumer` piece by piece (memory stays flat; it returns false to stop); an error
    /// body comes back in the response, bounded.
    public func stream(url: String, headers: HTTPHeaders = [], consumer: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool) throws -> Response {
        let call = HTTPCall(method: "GET", url: url, headers: headers, sink: .stream(consumer), isLongTransfer: true)
        return try perform(call, url: url)
    }

    private func perform(_ call: HTTPCall, url: String, progress: ((Int64, Int64) -> Void)? = nil) throws -> HTTPCallResponse {
        do {
            return try http.perform(call, progress: progress)
        } catch var error as NetworkError {
            error.endpoint = String(url.prefix { $0 != "?" })
            throw error
        }
    }
}
