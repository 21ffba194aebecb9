import EmbeddedStore
import Foundation
import HTTPServer
import S3Client
import SigV4

/// An embedded store on a free loopback port with one bucket, `bench`, in a temporary folder, for the benchmarks;
/// ``stop()`` shuts it down and removes the folder.
struct BenchStore {
    let credentials = Credentials(accessKeyID: "bench-key", secretAccessKey: "bench-secret")
    let folder = NSTemporaryDirectory() + "dropgate-bench-\(UUID().uuidString)"
    let server: HTTPServer
    let endpoint: S3Endpoint

    init() throws {
        let store = try EmbeddedStore(configuration: StoreConfiguration(dataDirectory: folder, credentials: [credentials], buckets: ["bench"]))
        server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), handler: store)
        let port = try server.start()
        endpoint = S3Endpoint(scheme: "http", host: "127.0.0.1:\(port)", region: "us-east-1", addressing: .path)
    }

    /// A client of the bucket; `reusesConnections: false` opens a connection per request.
    func client(reusesConnections: Bool = true) -> S3Client {
        S3Client(
            configuration: S3ClientConfiguration(endpoint: endpoint, credentials: credentials, bucket: "bench", reusesConnections: reusesConnections))
    }

    func stop() {
        server.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
