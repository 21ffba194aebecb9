import EmbeddedStore
import Foundation
import Gateway
import HTTPServer
import S3Client
import SigV4
import Testing

/// The API called in-process: the gateway handler over an embedded store served on a free port.
struct GatewayInProcessTests {
    static func makeGateway(now: @escaping @Sendable () -> Date = { Date() }) throws -> (Gateway, HTTPServer) {
        let credentials = Credentials(accessKeyID: "in-process-key", secretAccessKey: "in-process-secret")
        let store = try EmbeddedStore(
            configuration: StoreConfiguration(
                dataDirectory: NSTemporaryDirectory() + "gateway-\(UUID().uuidString)", credentials: [credentials], buckets: ["dropgate"]))
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), handler: store)
        let port = try server.start()
        let endpoint = S3Endpoint(scheme: "http", host: "127.0.0.1:\(port)", region: "us-east-1", addressing: .path)
        var settings = GatewaySettings()
        settings.storage.accessKeyId = credentials.accessKeyID
        settings.storage.secretAccessKey = credentials.secretAccessKey
        let client = S3Client(configuration: S3ClientConfiguration(endpoint: endpoint, credentials: credentials, bucket: "dropgate"))
        return (Gateway(settings: settings, client: client, publicEndpoint: endpoint, webDirectory: "web", now: now), server)
    }

    static func call(_ gateway: Gateway, _ method: String, _ target: String, json: String = "") throws -> (Int, [String: Any]) {
        let request = HTTPRequest(method: method, target: target, headers: HTTPHeaders([("Host", "localhost")]))
        let response = try gateway.respond(to: request, body: HTTPRequestBody(bytes: Array(json.utf8)))
        guard case .bytes(let bytes) = response.body else { return (response.status.code, [:]) }
        return (response.status.code, (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]) ?? [:])
    }

    @Test func uploadThenCompleteCreatesAShare() throws {
        let (gateway, server) = try Self.makeGateway()
        defer { server.shutdown() }
        let (status, plan) = try Self.call(gateway, "POST", "/api/uploads", json: #"{"filename":"n.txt","size":5,"contentType":"text/plain"}"#)
        #expect(status == 201)
        let url = try #require(plan["url"] as? String)
        let id = try #require(plan["id"] as? String)
        let uploaded = try Self.put(url, body: Array("hello".utf8), headers: plan["headers"] as? [String: String] ?? [:])
        #expect(uploaded == 200)
        let (completed, result) = try Self.call(gateway, "POST", "/api/uploads/\(id)/complete")
        #expect(completed == 201)
        let share = try #require(result["share"] as? [String: Any])
        #expect((share["url"] as? String)?.hasPrefix("http://localhost:5001/s/") == true)
        #expect(result["deleteToken"] is String)
    }

    @Test func sizeOverTheLimitIs413() throws {
        let (gateway, server) = try Self.makeGateway()
        defer { server.shutdown() }
        let (status, body) = try Self.call(gateway, "POST", "/api/uploads", json: #"{"filename":"n.bin","size":99999999999}"#)
        #expect(status == 413)
        #expect((body["error"] as? [String: Any])?["code"] as? String == "upload_too_large")
    }

    /// PUTs through the presigned URL with the curl command line, as a user would.
    static func put(_ url: String, body: [UInt8], headers: [String: String]) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        let file = NSTemporaryDirectory() + "body-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: file, contents: Data(body))
        defer { try? FileManager.default.removeItem(atPath: file) }
        var arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-T", file]
        for (name, value) in headers where name != "Content-Length" { arguments += ["-H", "\(name): \(value)"] }
        process.arguments = arguments + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return Int(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)) ?? 0
    }
}
