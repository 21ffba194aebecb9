import ArgumentParser
import EmbeddedStore
import Foundation
import Gateway
import HTTPServer
import Logging
import S3Client
import S3Common
import SigV4

/// `dropgate serve`: the gateway, with the embedded store when the settings ask for it.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the upload-and-share gateway (and the embedded store when storage.mode is embedded).")

    @OptionGroup var source: SettingsSource

    @Option(help: "The folder of the web pages.")
    var web = "web"

    @Option(help: "Override the gateway port (0 picks a free one).")
    var port: Int?

    @Option(help: "Override the embedded store's port (0 picks a free one).")
    var storePort: Int?

    @Option(help: "Override the embedded store's data folder.")
    var data: String?

    func run() throws {
        var (loaded, path) = try source.load()
        if let port {
            loaded.gateway.port = port
            loaded.gateway.publicURL = "http://localhost:\(port)"
        }
        if let storePort, loaded.storage.mode == .embedded {
            loaded.storage.port = storePort
            loaded.storage.publicEndpoint = "http://localhost:\(storePort)"
        }
        if let data { loaded.storage.dataDirectory = data }
        try SettingsSource.finish(&loaded, path: path)
        guard FileManager.default.fileExists(atPath: web + "/index.html") else { throw CLIError("No web pages in \(web): pass --web DIR.") }
        try Self.checkScanner(loaded)
        GatewayProcess.raiseOpenFileLimit(for: loaded.limits.maxConnections)
        TerminationSignal.block()
        let storeLogger = Logger(label: "dropgate.store")
        let running = try GatewayProcess.start(settings: loaded, webDirectory: web) { line in storeLogger.info("\(line)") }
        FileHandle.standardOutput.write(Data(NextSteps(settings: loaded, running: running).text.utf8))
        TerminationSignal.wait()
        running.shutdown()
        LineLogHandler.flush()
    }
}

extension ServeCommand {
    /// With `uploads.scan.clamd`: refuses to start when clamd will not take a file of `uploads.scan.maxBytes` (the
    /// gateway would declare uploads its scanner then refuses); a clamd that is down is only warned about.
    static func checkScanner(_ settings: GatewaySettings) throws {
        guard let address = settings.uploads.scan.clamd, let scanner = ClamdScanner(address) else { return }
        let limit = settings.uploads.scan.maxBytes
        do {
            guard try scanner.accepts(bytes: limit) else {
                throw CLIError(
                    "uploads.scan.maxBytes is \(limit) bytes, but clamd at \(address) refuses streams that long: raise StreamMaxLength in clamd.conf, or lower uploads.scan.maxBytes."
                )
            }
        } catch let error as ClamdScanner.Unavailable {
            FileHandle.standardError.write(
                Data("dropgate: warning: \(error.description); uploads wait for it (or, with failOpen, go unscanned).\n".utf8))
        }
    }
}

/// The servers `dropgate serve` runs, started from settings.
struct GatewayProcess {
    let gateway: HTTPServer
    let storage: StorageConnection
    let gatewayURL: String
    /// The Prometheus listener.
    let metrics: HTTPServer
    let metricsURL: String
    /// The lifecycle sweeper; nil when `lifecycle.enabled` is false.
    let lifecycle: RepeatingTask?
    /// The webhook deliverer (its passes do nothing while the queue is empty).
    let notices: RepeatingTask
    var storeURL: String? { storage.storeURL }

    static func start(settings: GatewaySettings, webDirectory: String, log: @escaping @Sendable (String) -> Void) throws -> GatewayProcess {
        var settings = settings
        do {
            settings.gateway.secret = try GatewaySecret.resolve(settings, folder: settings.storage.dataDirectory)
        } catch {
            throw CLIError(error.message)
        }
        let storage = try StorageConnection.open(settings: settings, log: log)
        let metrics = GatewayMetrics()
        let gateway = Gateway(
            settings: storage.settings, client: storage.client, publicEndpoint: storage.publicEndpoint, webDirectory: webDirectory,
            metrics: metrics, logger: Logger(label: "dropgate.gateway"))
        storage.served.connect(gateway)
        let metricsServer = HTTPServer(
            configuration: HTTPServer.Configuration(host: settings.metrics.host, port: settings.metrics.port), handler: metrics.handler)
        let metricsPort = try metricsServer.startNamed("The metrics listener (metrics.host, metrics.port)")
        let configuration = HTTPServer.Configuration(host: settings.gateway.host, port: settings.gateway.port, limits: settings.httpLimits)
        let server = HTTPServer(configuration: configuration, handler: gateway)
        let port = try server.startNamed("The gateway")
        let shown = settings.gateway.port == 0 ? "http://127.0.0.1:\(port)" : settings.gateway.publicURL
        let lifecycle = settings.lifecycle.enabled ? gateway.makeLifecycleService().start() : nil
        return GatewayProcess(
            gateway: server, storage: storage, gatewayURL: shown, metrics: metricsServer,
            metricsURL: "http://\(settings.metrics.host):\(metricsPort)/metrics", lifecycle: lifecycle, notices: gateway.makeNoticeDelivery().start())
    }

    func shutdown() {
        gateway.shutdown()
        lifecycle?.stop()
        notices.stop()
        metrics.shutdown()
        storage.shutdown()
    }

    /// Raises the soft open-file limit toward the hard one, so `limits.maxConnections` sockets (gateway and store, and
    /// their files) fit; a limit that cannot rise is left as it is, and the server answers 503 past it.
    static func raiseOpenFileLimit(for connections: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = rlim_t(min(UInt64(limit.rlim_max), UInt64(connections) * 2 + 1_024))
        guard wanted > limit.rlim_cur else { return }
        limit.rlim_cur = wanted
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
