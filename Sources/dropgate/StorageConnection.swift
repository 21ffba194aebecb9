import EmbeddedStore
import Foundation
import Gateway
import HTTPServer
import S3Client
import S3Common
import SigV4

/// The store the settings name: the embedded one started in-process, or an external endpoint; with the
/// client the gateway uses and the public endpoint presigned URLs are signed for.
struct StorageConnection {
    let settings: GatewaySettings
    let client: S3Client
    let publicEndpoint: S3Endpoint
    let store: HTTPServer?
    let storeURL: String?
    /// Carries out the embedded store's bucket lifecycle rules (those `doctor --fix` writes).
    let storeLifecycle: RepeatingTask?
    /// Where the embedded store's reports of served downloads go, once the gateway exists.
    let served: ServedRelay

    static func open(settings: GatewaySettings, log: @escaping @Sendable (String) -> Void) throws -> StorageConnection {
        var settings = settings
        let storage = settings.storage
        let credentials = Credentials(accessKeyID: storage.accessKeyId, secretAccessKey: storage.secretAccessKey, sessionToken: storage.sessionToken)
        var storeServer: HTTPServer?
        let relay = ServedRelay()
        var storeLifecycle: RepeatingTask?
        var internalURL = storage.endpoint ?? storage.publicEndpoint ?? ""
        if storage.mode == .embedded {
            if let refusal = DevelopmentDefaults.exposureProblem(host: storage.host, accessKey: storage.accessKeyId) { throw CLIError(refusal) }
            let origins = [settings.gateway.publicURL, "http://127.0.0.1:\(settings.gateway.port)", "http://localhost:\(settings.gateway.port)"]
            let store = try EmbeddedStore(
                configuration: StoreConfiguration(
                    dataDirectory: storage.dataDirectory, region: storage.region, credentials: [credentials], buckets: [storage.bucket],
                    cors: ["*": [CORSRule(allowedOrigins: origins)]],
                    // Past any upload id's life: the gateway's sweeper aborts abandoned uploads sooner; this clears the rest.
                    staleMultipartAge: Double(settings.uploads.presignExpiry + settings.lifecycle.orphanGrace + 86_400),
                    allowsSignatureVersion2: storage.allowSigV2, served: relay.forward))
            var configuration = HTTPServer.Configuration(host: storage.host, port: storage.port, limits: settings.httpLimits)
            configuration.accessLog = { log("store \($0.line)") }
            let server = HTTPServer(configuration: configuration, handler: store)
            let port = try server.startNamed("The embedded store")
            storeServer = server
            storeLifecycle = RepeatingTask(name: "dropgate-store-lifecycle", interval: TimeInterval(min(settings.lifecycle.interval, 3_600))) {
                store.removeStaleUploads()
            }
            internalURL = "http://\(storage.host == "0.0.0.0" ? "127.0.0.1" : storage.host):\(port)"
            if storage.publicEndpoint == nil || storage.port == 0 { settings.storage.publicEndpoint = "http://localhost:\(port)" }
        }
        let addressing = storage.addressing.endpointAddressing
        let internalEndpoint: S3Endpoint
        let publicEndpoint: S3Endpoint
        do {
            internalEndpoint = try S3Endpoint(url: internalURL, region: storage.region, addressing: addressing)
            publicEndpoint = try S3Endpoint(url: settings.storage.publicEndpoint ?? internalURL, region: storage.region, addressing: addressing)
        } catch {
            throw CLIError("storage.endpoint / storage.publicEndpoint: \(error.message)")
        }
        let deadline = Double(storage.requestTimeout)
        let client = S3Client(
            configuration: S3ClientConfiguration(
                endpoint: internalEndpoint, credentials: credentials, bucket: storage.bucket, connectTimeout: min(5, deadline),
                requestTimeout: deadline,
                // Streams to a browser or clamd wait on their reader too, so their stall bound stays a minute.
                stallTimeout: max(deadline, 60)))
        if storeServer != nil {
            // The embedded store is the gateway's own: it gets the rule `doctor --fix` would add, once.
            let doctor = StoreDoctor(settings: settings, client: client, publicEndpoint: publicEndpoint)
            if !doctor.lifecycle().passed { try? doctor.fixLifecycle() }
        }
        return StorageConnection(
            settings: settings, client: client, publicEndpoint: publicEndpoint, store: storeServer, storeURL: storeServer.map { _ in internalURL },
            storeLifecycle: storeLifecycle, served: relay)
    }

    func shutdown() {
        storeLifecycle?.stop()
        store?.shutdown()
    }
}

extension HTTPServer {
    /// Starts listening, or throws a one-line error naming `what` could not listen where.
    func startNamed(_ what: String) throws -> Int {
        do { return try start() } catch { throw CLIError("\(what) cannot listen on \(configuration.host):\(configuration.port): \(error)") }
    }
}
