import ArgumentParser
import DropgateClient
import EmbeddedStore
import Foundation
import Gateway
import HTTPServer
import S3Client
import SigV4

/// `dropgate bench head-check`: the upload check (a signed HEAD over libcurl) against the embedded store,
/// over one reused connection and with a new connection for every request, in the same run.
public struct BenchHeadCheckCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "head-check", abstract: "Measure upload checks (signed HEADs) with and without connection reuse.")

    @Option(help: "Checks per round.")
    var iterations = 2_000

    public init() {}

    public func run() throws {
        guard iterations > 0 else { throw ClientError("--iterations must be positive.") }
        let bench = try BenchStore()
        defer { bench.stop() }
        let client = bench.client()
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52] + [UInt8](repeating: 1, count: 4080)
        try client.putObject(key: "uploads/check.bin", body: png, contentType: "image/png")
        let declared = DeclaredUpload(key: "uploads/check.bin", size: 4096, contentType: "image/png")
        let fresh = bench.client(reusesConnections: false)
        let freshMicros = try measure("head-check-new-connection", client: fresh, declared: declared)
        let reusedMicros = try measure("head-check", client: client, declared: declared)
        let sniffedMicros = try measure("head-check-with-type-sniff", client: client, declared: declared, sniffer: ContentSniffer())
        print(
            String(format: "reuse saves %.1f%% (new connection / reused = %.2fx)", 100 * (1 - reusedMicros / freshMicros), freshMicros / reusedMicros)
        )
        print(String(format: "head-check-new-connection %.1f us/check", freshMicros))
        print(String(format: "head-check %.1f us/check", reusedMicros))
        print(
            String(
                format: "head-check-with-type-sniff %.1f us/check (ranged GET + libmagic add %.1f us, %.2fx the HEAD alone)", sniffedMicros,
                sniffedMicros - reusedMicros, sniffedMicros / reusedMicros))
    }

    /// Median microseconds per check over 5 rounds, after a warm-up.
    func measure(_ name: String, client: S3Client, declared: DeclaredUpload, sniffer: ContentSniffer? = nil) throws -> Double {
        for _ in 0..<min(iterations, 200) { _ = try UploadCheck.run(declared, client: client, sniffer: sniffer) }
        var rounds: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            for _ in 0..<iterations {
                guard case .verified = try UploadCheck.run(declared, client: client, sniffer: sniffer) else { throw ClientError("the check failed") }
            }
            rounds.append((ContinuousClock.now - start).inSeconds * 1e6 / Double(iterations))
        }
        let median = rounds.sorted()[2]
        print("\(name) rounds \(rounds.map { String(format: "%.1f", $0) }.joined(separator: " ")) us; median \(String(format: "%.1f", median)) us")
        return median
    }
}
