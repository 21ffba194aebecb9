import ArgumentParser
import EmbeddedStore
import Foundation
import Gateway
import HTTPServer
import S3Common
import SigV4

/// `dropgate store`: the embedded S3-compatible store on its own.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Run the embedded S3-compatible object store (disk-backed, SigV4-verified).")

    @Option(help: "Folder for the store's data.")
    var data = ".dropgate/data"

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port (0 picks a free one; the first line printed says which).")
    var port = 5002

    @Option(help: "Access key id that may sign requests (default: AWS_ACCESS_KEY_ID, else the development key).")
    var accessKey: String?

    @Option(help: "Secret key of --access-key (default: AWS_SECRET_ACCESS_KEY, else the development secret).")
    var secretKey: String?

    @Option(help: "Region requests must be scoped to.")
    var region = "us-east-1"

    @Option(name: .customLong("bucket"), help: "A bucket to create at start (repeatable).")
    var buckets: [String] = []

    @Option(help: "An origin allowed by CORS on every bucket (repeatable; default: any origin).")
    var corsOrigin: [String] = []

    @Option(help: "Seconds after which an unfinished multipart upload is removed.")
    var staleUploadAge: Double = 86_400

    @Flag(
        name: .customLong("sigv2"), inversion: .prefixedNo,
        help: "Take Signature Version 2 (HMAC-SHA1, boto3's default presigned URLs) beside SigV4, as MinIO and RGW do.")
    var signatureVersion2 = true

    func run() throws {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        let credentials = Credentials(
            accessKeyID: accessKey ?? environment["AWS_ACCESS_KEY_ID"] ?? DevelopmentDefaults.accessKey,
            secretAccessKey: secretKey ?? environment["AWS_SECRET_ACCESS_KEY"] ?? DevelopmentDefaults.secretKey)
        if let refusal = DevelopmentDefaults.exposureProblem(host: host, accessKey: credentials.accessKeyID) { throw CLIError(refusal) }
        for bucket in buckets where !DiskStore.isValidBucketName(bucket) {
            throw CLIError("'\(bucket)' is not a valid bucket name (3 to 63 of a-z, 0-9, '.' and '-').")
        }
        let cors = ["*": [CORSRule(allowedOrigins: corsOrigin.isEmpty ? ["*"] : corsOrigin)]]
        let store: EmbeddedStore
        do {
            store = try EmbeddedStore(
                configuration: StoreConfiguration(
                    dataDirectory: data, region: region, credentials: [credentials], buckets: buckets, cors: cors,
                    staleMultipartAge: staleUploadAge, allowsSignatureVersion2: signatureVersion2))
        } catch {
            throw CLIError("The store cannot start in \(data): \(error)")
        }
        var serverConfiguration = HTTPServer.Configuration(host: host, port: port)
        serverConfiguration.accessLog = { entry in FileHandle.standardError.write(Data("store \(entry.line)\n".utf8)) }
        let server = HTTPServer(configuration: serverConfiguration, handler: store)
        TerminationSignal.block()
        let bound = try server.startNamed("The store")
        let sweeper = RepeatingTask(name: "dropgate-store-sweeper", interval: max(1, min(staleUploadAge / 2, 3_600))) { store.removeStaleUploads() }
        FileHandle.standardOutput.write(Data("store listening on http://\(host):\(bound) (data in \(store.disk.root))\n".utf8))
        TerminationSignal.wait()
        server.shutdown()
        sweeper.stop()
    }
}

/// The fixed development keys of `settings-development.json`; never for production.
enum DevelopmentDefaults {
    static let accessKey = "dropgate-dev-key"
    static let secretKey = "dropgate-dev-secret-do-not-use-in-production"

    /// Why a store may not listen on `host` with `accessKey`: the published development key on an address other
    /// machines can reach would let anyone read and write the bucket. Nil when it may.
    static func exposureProblem(host: String, accessKey: String) -> String? {
        guard accessKey == Self.accessKey, !isLoopback(host) else { return nil }
        return "The store would listen on \(host) with the built-in development key, which anyone can read in the README: "
            + "set your own keys (--access-key and --secret-key, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the settings), or listen on 127.0.0.1."
    }

    /// `127.0.0.0/8`, `::1` and `localhost`, parsed as addresses.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard inet_pton(AF_INET6, bare, &v6) == 1 else { return false }
        return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
    }
}
