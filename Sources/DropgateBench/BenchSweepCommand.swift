import ArgumentParser
import CurlHTTP
import DropgateAPI
import DropgateClient
import EmbeddedStore
import Foundation
import Gateway
import HTTPServer
import S3Client
import SigV4
import Synchronization

/// `dropgate bench sweep`: what one lifecycle pass costs per 10,000 objects against the embedded store over HTTP,
/// next to the floor measured in the same run (listing the keys, and one GET per record).
public struct BenchSweepCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sweep", abstract: "Measure a lifecycle pass over live shares and over orphans, against listing and GETs alone.")

    @Option(help: "Live shares, and orphans, to sweep.")
    var objects = 10_000

    public init() {}

    public func run() throws {
        guard (1...100_000).contains(objects) else { throw ClientError("--objects must be from 1 to 100000.") }
        let bench = try BenchStore()
        defer { bench.stop() }
        let (endpoint, client) = (bench.endpoint, bench.client())
        var settings = GatewaySettings()
        settings.storage.bucket = "bench"
        settings.gateway.secret = "bench-gateway-secret-0123456789abcdef"
        settings.lifecycle.passBudget = 3_600
        let offset = Mutex(0.0)
        let gateway = Gateway(
            settings: settings, client: client, publicEndpoint: endpoint, webDirectory: "web",
            now: { Date().addingTimeInterval(offset.withLock { $0 }) })
        let maker = BenchSharing(gateway: gateway, web: WebClient())
        print("creating \(objects) shares through the gateway and \(objects) orphans…")
        for index in 0..<objects { try maker.share(name: "s\(index).txt") }
        for index in 0..<objects {
            let key = "uploads/2026/12/\(Hex.string((0..<11).map { _ in UInt8.random(in: 0...255) }))/o\(index).txt"
            try client.putObject(key: key, body: Array("orphan".utf8), contentType: "text/plain")
        }
        offset.withLock { $0 = 86_400 }  // a day later: every upload id has expired, every object is past the grace
        let listSeconds = try BenchTiming.seconds {
            for prefix in ["uploads/", "shared/", ".dropgate/shares/"] {
                var token: String?
                repeat {
                    let page = try client.listObjects(prefix: prefix, continuationToken: token)
                    token = page.nextContinuationToken
                } while token != nil
            }
        }
        let records = try client.listObjects(prefix: ".dropgate/shares/", maxKeys: 1000).objects.map(\.key)
        let getSeconds = try BenchTiming.seconds { for index in 0..<objects { _ = try client.getObject(key: records[index % records.count]) } }
        let service = gateway.makeLifecycleService()
        var first: String?
        let firstSeconds = BenchTiming.seconds { first = service.sweepOnce() }
        var second: String?
        let secondSeconds = BenchTiming.seconds { second = service.sweepOnce() }
        let per = 10_000 / Double(objects)
        print(
            "floor: listing \(3 * objects) keys \(format(listSeconds * per)) s per 10,000 objects; one GET each \(format(getSeconds * per)) s per 10,000"
        )
        print("pass with \(objects) orphans and \(objects) live shares: \(format(firstSeconds)) s (\(first ?? "nothing deleted"))")
        print("pass with \(objects) live shares and nothing to delete: \(format(secondSeconds)) s (\(second ?? "nothing deleted"))")
        print(
            "per 10,000 objects: deleting orphans and checking live shares \(format(firstSeconds * per / 2)) s each kind; "
                + "steady state \(format(secondSeconds * per)) s, \(String(format: "%.2f", secondSeconds / getSeconds))x one GET per share")
    }

    func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }
}
