import ArgumentParser
import Crypto
import DropgateClient
import Foundation
import S3Client
import SigV4

/// `dropgate bench presign`: microseconds per presigned GET and PUT URL, against the cost of the
/// SHA-256 + HMAC that any presign must do (the crypto floor), measured in the same run.
public struct BenchPresignCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "presign", abstract: "Measure presigning speed against the crypto floor (medians of interleaved rounds).")

    @Option(help: "URLs per case per round.")
    var iterations: Int = 20_000

    @Option(help: "Rounds; each runs every case once, back to back.")
    var rounds: Int = 25

    public init() {}

    public func run() throws {
        guard iterations > 0 else { throw ClientError("--iterations must be positive.") }
        guard (1...1_000).contains(rounds) else { throw ClientError("--rounds must be between 1 and 1000.") }
        let credentials = Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let presigner = S3Presigner(endpoint: .aws(region: "us-east-1"), credentials: credentials, bucket: "dropgate")
        let key = "uploads/2026/11/3f9c2a7be1d04c55/holiday photo.jpg"
        let putHeaders: HTTPHeaders = [
            .init("Content-Type", "image/jpeg"), .init("Content-Length", "2483921"), .init("If-None-Match", "*"),
            .init("x-amz-checksum-sha256", "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="),
        ]
        var sink = 0
        let signingKey = SigningKey(secretAccessKey: credentials.secretAccessKey, dateStamp: "20261129", region: "us-east-1", service: "s3")
        let canonical = [UInt8](repeating: 0x61, count: 330)
        let cases: [(name: String, body: () -> Void)] = [
            ("presign-get", { sink &+= (try? presigner.url(method: "GET", bucket: "dropgate", key: key, expires: 300))?.utf8.count ?? 0 }),
            (
                "presign-put",
                {
                    sink &+= (try? presigner.url(method: "PUT", bucket: "dropgate", key: key, expires: 900, headers: putHeaders))?.utf8.count ?? 0
                }
            ),
            (
                "crypto-floor",
                {
                    let digest = SHA256.hash(data: canonical)
                    sink &+= signingKey.signature(of: Array(digest)).utf8.count
                }
            ),
        ]
        let rounds = measure(cases, rounds: rounds)
        print("sink \(sink % 10)")
        // Each round measures all three back to back, so a ratio compares figures taken under the same load.
        let getRatios = rounds.map { $0[0] / $0[2] }.sorted()
        let putRatios = rounds.map { $0[1] / $0[2] }.sorted()
        let medians = (0..<3).map { index in rounds.map { $0[index] }.sorted()[rounds.count / 2] }
        print(String(format: "ratio get/crypto-floor %.2f", getRatios[getRatios.count / 2]))
        print(String(format: "ratio put/crypto-floor %.2f", putRatios[putRatios.count / 2]))
        print(String(format: "presign-get %.3f us/url", medians[0]))
        print(String(format: "presign-put %.3f us/url", medians[1]))
        print(String(format: "crypto-floor %.3f us", medians[2]))
    }

    /// Runs every case `iterations` times after a warm-up, in `count` interleaved rounds, and returns each round's
    /// microseconds per call, case by case. Short rounds keep a burst of load on this machine inside a few of them.
    func measure(_ cases: [(name: String, body: () -> Void)], rounds count: Int) -> [[Double]] {
        for item in cases {
            for _ in 0..<min(iterations, 20_000) { item.body() }
        }
        var rounds: [[Double]] = []
        for _ in 0..<count {
            var round: [Double] = []
            for item in cases {
                let start = ContinuousClock.now
                for _ in 0..<iterations { item.body() }
                round.append((ContinuousClock.now - start).inSeconds * 1e6 / Double(iterations))
            }
            rounds.append(round)
        }
        for (index, item) in cases.enumerated() {
            let sorted = rounds.map { $0[index] }.sorted()
            let figures = String(format: "fastest %.3f median %.3f slowest %.3f us", sorted[0], sorted[sorted.count / 2], sorted[sorted.count - 1])
            print("\(item.name) \(figures)")
        }
        return rounds
    }
}
