import ArgumentParser
import Crypto
import CurlHTTP
import DropgateAPI
import DropgateClient
import Foundation
import Gateway
import HTTPServer
import HTTPWire
import Logging
import S3Client
import SigV4

/// `dropgate bench accounts`: `GET /api/me/shares` for a user with 10,000 shares, and `GET /api/admin/shares` paging
/// through 100,000, against the embedded store over HTTP, next to the floor measured in the same run (the GETs a
/// page cannot do without).
public struct BenchAccountsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "Measure the /me list at 10,000 shares and the admin's list over 100,000, against their floor.")

    @Option(help: "Shares the one account makes through the gateway.")
    var shares = 10_000

    @Option(help: "Shares in the bucket in all, for the admin's list.")
    var bucketShares = 100_000

    public init() {}

    public func run() throws {
        guard (20...10_000).contains(shares), (shares...1_000_000).contains(bucketShares) else {
            throw ClientError("--shares must be from 20 to 10000, and --bucket-shares from --shares to 1000000.")
        }
        let bench = try BenchStore()
        defer { bench.stop() }
        let client = bench.client()
        var settings = GatewaySettings()
        settings.storage.bucket = "bench"
        settings.gateway.secret = "bench-gateway-secret-0123456789abcdef"
        var quiet = Logger(label: "dropgate.bench")
        quiet.logLevel = .warning
        let gateway = Gateway(settings: settings, client: client, publicEndpoint: bench.endpoint, webDirectory: "web", logger: quiet)
        let token = try BenchAccount.seedToken(client)
        let maker = BenchSharing(gateway: gateway, web: WebClient(), bearer: token)
        print("making \(shares) shares of one account through the gateway…")
        var thousands: [Double] = []
        for start in stride(from: 0, to: shares, by: 1_000) {
            thousands.append(try BenchTiming.seconds { for index in start..<min(start + 1_000, shares) { try maker.share(name: "s\(index).txt") } })
        }
        print(
            "making a share (declare, PUT, complete): \(Self.ms(thousands.first! / 1_000)) ms each in the first 1,000, "
                + "\(Self.ms(thousands.last! / 1_000)) ms in the last (the account's usage record grows with its shares)")
        let records = try client.listObjects(prefix: ".dropgate/shares/", maxKeys: 20).objects.map(\.key)
        let floor = try Self.median { for key in records { _ = try client.getObject(key: key) } }
        let first = try Self.median { try maker.expect(200, "GET", "/api/me/shares?page=0") }
        let last = try Self.median { try maker.expect(200, "GET", "/api/me/shares?page=\((shares - 1) / 20)") }
        print("floor: 20 record GETs \(Self.ms(floor)) ms")
        print(
            "/api/me/shares at \(shares) shares: first page \(Self.ms(first)) ms, last page \(Self.ms(last)) ms "
                + "(\(String(format: "%.1f", first / floor))x the floor)")
        print("adding \(bucketShares - shares) more shares to the bucket, as records…")
        try BenchAccount.copyRecords(bench: bench, from: records[0], count: bucketShares - shares)
        let listFloor = try Self.median { _ = try client.listObjects(prefix: ".dropgate/shares/", maxKeys: 50) }
        let pageFloor = try Self.median {
            for key in try client.listObjects(prefix: ".dropgate/shares/", maxKeys: 50).objects { _ = try client.getObject(key: key.key) }
        }
        var times: [String] = []
        for (label, after) in [
            ("first", ""), ("middle", "M" + String(repeating: "A", count: 21)), ("near the end", "x" + String(repeating: "A", count: 21)),
        ] {
            times.append(
                "\(label) \(Self.ms(try Self.median { try maker.expect(200, "GET", "/api/admin/shares" + (after.isEmpty ? "" : "?after=\(after)")) })) ms"
            )
        }
        var next: String? = nil
        let walk = try BenchTiming.seconds {
            for _ in 0..<20 {
                let body = try maker.expect(200, "GET", "/api/admin/shares" + (next.map { "?after=\($0)" } ?? ""))
                next = try APIJSON.decode(AdminShares.self, from: body).next
            }
        }
        print("floor: listing 50 record keys \(Self.ms(listFloor)) ms; listing and GETting 50 records \(Self.ms(pageFloor)) ms")
        print("/api/admin/shares over \(bucketShares) shares, 50 a page: \(times.joined(separator: ", "))")
        print(
            "walking 20 pages in a row: \(Self.ms(walk / 20)) ms a page, \(String(format: "%.1f", walk / 20 / pageFloor))x the floor; all \(bucketShares) in \(String(format: "%.0f", walk / 20 * Double(bucketShares) / 50)) s at that pace"
        )
    }

    /// The median of 15 runs, after one to warm up.
    static func median(_ body: () throws -> Void) throws -> Double {
        try body()
        return try (0..<15).map { _ in try BenchTiming.seconds(body) }.sorted()[7]
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1_000) }
}
