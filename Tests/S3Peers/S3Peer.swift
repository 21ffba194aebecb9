import EmbeddedStore
import Foundation
import HTTPServer
import S3Client
import SigV4
import Testing

/// The S3 servers the client is tested against: the embedded store (in-process, port 0) and, when
/// `make test` started it, a real Ceph RGW (`S3PEER_ENDPOINT` and friends, from scripts/rgw.sh).
public enum S3Peer: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case embedded
    case rgw

    public var testDescription: String { rawValue }

    /// The peers available in this run; RGW joins when its endpoint is exported.
    public static var available: [S3Peer] {
        ProcessInfo.processInfo.environment["S3PEER_ENDPOINT"] == nil ? [.embedded] : [.embedded, .rgw]
    }

    /// A client for this peer, with its own key prefix so that tests do not collide.
    public func client(secret: String? = nil, configure: (inout S3ClientConfiguration) -> Void = { _ in }) throws -> S3Client {
        var configuration: S3ClientConfiguration
        switch self {
        case .embedded:
            let store = try EmbeddedStoreServer.shared()
            configuration = S3ClientConfiguration(
                endpoint: try S3Endpoint(url: store.endpoint, region: "us-east-1", addressing: .path),
                credentials: Credentials(accessKeyID: store.accessKey, secretAccessKey: secret ?? store.secretKey), bucket: store.bucket)
        case .rgw:
            let environment = ProcessInfo.processInfo.environment
            configuration = S3ClientConfiguration(
                endpoint: try S3Endpoint(url: environment["S3PEER_ENDPOINT"], region: environment["S3PEER_REGION"] ?? "us-east-1", addressing: .path),
                credentials: Credentials(
                    accessKeyID: environment["S3PEER_ACCESS_KEY"] ?? "", secretAccessKey: secret ?? environment["S3PEER_SECRET_KEY"] ?? ""
                ),
                bucket: environment["S3PEER_BUCKET"] ?? "")
        }
        configure(&configuration)
        return S3Client(configuration: configuration)
    }

    public static func uniqueKey(_ name: String) -> String { "client-tests/\(UUID().uuidString.prefix(8))/\(name)" }
}

/// One embedded store per test process, served on a free port.
public final class EmbeddedStoreServer: @unchecked Sendable {
    public let endpoint: String
    public let accessKey = "client-test-key"
    public let secretKey = "client-test-secret"
    public let bucket = "client-bucket"
    public let server: HTTPServer

    private static let lock = NSLock()
    nonisolated(unsafe) private static var instance: EmbeddedStoreServer?

    public static func shared() throws -> EmbeddedStoreServer {
        try lock.withLock {
            if let instance { return instance }
            let created = try EmbeddedStoreServer()
            instance = created
            return created
        }
    }

    private init() throws {
        let store = try EmbeddedStore(
            configuration: StoreConfiguration(
                dataDirectory: NSTemporaryDirectory() + "client-tests-\(UUID().uuidString)",
                credentials: [Credentials(accessKeyID: accessKey, secretAccessKey: secretKey)], buckets: [bucket]))
        let configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        server = HTTPServer(configuration: configuration, handler: store)
        endpoint = "http://127.0.0.1:\(try server.start())"
    }
}
