import CurlHTTP
import DropgateAPI
import EmbeddedStore
import Foundation
import HTTPServer
import S3Client
import SigV4
import Synchronization

@testable import Gateway

/// A network on which nothing answers.
struct DeadNetwork: HTTPTransport {
    func perform(_ call: HTTPCall, progress: ((Int64, Int64) -> Void)?) throws -> HTTPCallResponse {
        throw NetworkError(endpoint: "http://store.test", reason: "Connection refused", curlCode: 7)
    }
}

/// A clock that tests move by hand.
final class TestClock: Sendable {
    private let seconds = Mutex(1_796_200_000.0)
    var now: Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
    func advance(_ by: TimeInterval) { seconds.withLock { $0 += by } }
}

/// The gateway over the embedded store's handler, in-process with no sockets, sharing one injected clock.
struct GatewayHarness {
    /// An answer of the gateway: status, headers and body.
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try APIJSON.decode(type, from: body) }
        var errorCode: APIErrorCode? { (try? decode(APIErrorBody.self)).flatMap { APIErrorCode(rawValue: $0.error.code) } }
    }

    let gateway: Gateway
    let store: EmbeddedStore
    let transport: HandlerTransport
    let clock: TestClock
    let folder: String
    let settings: GatewaySettings
    /// The gateway's own S3 client, for looking at the bucket as the gateway does.
    let client: S3Client
    /// The gateway's lifecycle sweeper, made once as `serve` makes it.
    let sweeper: LifecycleSweeper

    /// - Parameter unreachable: every request of the gateway's own client fails as a dead network would.
    init(unreachable: Bool = false, random: RandomBytes = .system, _ configure: (inout GatewaySettings) -> Void = { _ in }) throws {
        let clock = TestClock()
        let credentials = Self.credentials
        let folder = NSTemporaryDirectory() + "gateway-harness-\(UUID().uuidString)"
        let store = try EmbeddedStore(
            configuration: StoreConfiguration(dataDirectory: folder, credentials: [credentials], buckets: ["dropgate"]), now: { clock.now })
        try self.init(store: store, folder: folder, clock: clock, unreachable: unreachable, random: random, configure)
    }

    /// A second gateway on the same store, bucket, clock and secret: two gateways of one bucket.
    init(sharingStoreOf other: GatewayHarness, _ configure: (inout GatewaySettings) -> Void = { _ in }) throws {
        try self.init(store: other.store, folder: other.folder, clock: other.clock, unreachable: false, random: .system, configure)
    }

    static let credentials = Credentials(accessKeyID: "harness-key", secretAccessKey: "harness-secret")

    private init(
        store: EmbeddedStore, folder: String, clock: TestClock, unreachable: Bool, random: RandomBytes, _ configure: (inout GatewaySettings) -> Void
    ) throws {
        let credentials = Self.credentials
        self.store = store
        self.folder = folder
        transport = HandlerTransport(handler: store)
        var settings = GatewaySettings()
        settings.storage.accessKeyId = credentials.accessKeyID
        settings.storage.secretAccessKey = credentials.secretAccessKey
        settings.gateway.secret = "harness-gateway-secret-0123456789abcdef"
        settings.shares.minExpiry = 1
        settings.uploads.multipartThreshold = 5 * 1024 * 1024
        settings.uploads.partSize = 5 * 1024 * 1024
        configure(&settings)
        self.settings = settings
        let endpoint = S3Endpoint(scheme: "http", host: "store.test", region: "us-east-1", addressing: .path)
        let client = S3Client(
            configuration: S3ClientConfiguration(
                endpoint: endpoint, credentials: credentials, bucket: settings.storage.bucket, now: { clock.now }),
            transport: unreachable ? DeadNetwork() : transport)
        self.client = client
        gateway = Gateway(
            settings: settings, client: client, publicEndpoint: endpoint, webDirectory: Self.webFolder, now: { clock.now }, random: random)
        sweeper = gateway.makeLifecycleService().sweeper
        self.clock = clock
    }

    /// The repository's `web/` folder, found from this file.
    static let webFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("web").path

    /// Calls the gateway as the server would.
    ///
    /// - Parameter peer: the client's `address:port`, as the server would report it.
    func call(_ method: String, _ target: String, body: [UInt8] = [], headers: HTTPHeaders = [], from peer: String = "127.0.0.1:40000") throws
        -> Answer
    {
        var fields = headers
        fields.add("Host", "localhost")
        var request = HTTPRequest(method: method, target: target, headers: fields, framing: body.isEmpty ? .none : .length(Int64(body.count)))
        request.remoteAddress = peer
        let response = try gateway.respond(to: request, body: HTTPRequestBody(bytes: body))
        return Answer(status: response.status.code, headers: response.headers, body: try HandlerTransport.bytes(of: response.body))
    }

    /// Calls the gateway with a JSON body.
    func call(_ method: String, _ target: String, json: some Encodable, headers: HTTPHeaders = [], from peer: String = "127.0.0.1:40000") throws
        -> Answer
    {
        try call(method, target, body: try APIJSON.encode(json), headers: headers, from: peer)
    }

    /// Declares an upload; the plan, or the answer when it was refused.
    func declare(_ request: UploadRequest, headers: HTTPHeaders = [], from peer: String = "127.0.0.1:40000") throws -> Answer {
        try call("POST", "/api/uploads", json: request, headers: headers, from: peer)
    }

    /// Sends bytes to a presigned URL as a client would (with the plan's signed headers).
    func put(_ url: String, _ bytes: [UInt8], headers: [String: String] = [:]) throws -> HTTPCallResponse {
        var fields = HTTPHeaders(headers.sorted { $0.key < $1.key }.map { HTTPHeaders.Field($0.key, $0.value) })
        fields.remove("Content-Length")
        return try transport.perform(HTTPCall(method: "PUT", url: url, headers: fields, body: .bytes(bytes)), progress: nil)
    }

    /// Fetches a presigned URL.
    func get(_ url: String, method: String = "GET") throws -> HTTPCallResponse {
        try transport.perform(HTTPCall(method: method, url: url, headers: []), progress: nil)
    }

    /// Declares, uploads and completes a file; the completion.
    func share(_ name: String, _ bytes: [UInt8], type: String = "text/plain", expiresIn: Int64? = nil, maxDownloads: Int64? = nil) throws
        -> Completion
    {
        let planned = try declare(
            UploadRequest(filename: name, size: Int64(bytes.count), contentType: type, expiresIn: expiresIn, maxDownloads: maxDownloads))
        let plan = try planned.decode(UploadPlan.self)
        let stored = try put(try requireURL(plan), bytes, headers: plan.headers ?? [:])
        guard stored.status == 200 else {
            throw HarnessError(description: "the store answered \(stored.status): \(String(decoding: stored.body, as: UTF8.self))")
        }
        let completed = try call("POST", "/api/uploads/\(plan.id)/complete", body: [])
        guard completed.status == 201 else { throw HarnessError(description: "completing answered \(completed.status): \(completed.text)") }
        return try completed.decode(Completion.self)
    }

    func requireURL(_ plan: UploadPlan) throws -> String {
        guard let url = plan.url else { throw HarnessError(description: "the plan has no URL") }
        return url
    }

    struct HarnessError: Error, CustomStringConvertible {
        var description: String
    }
}
