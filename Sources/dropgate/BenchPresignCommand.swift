import ArgumentParser
import Crypto
import Foundation
import S3Client
import SigV4

/// `dropgate bench presign`: microseconds per presigned GET and PUT URL, against the cost of the
/// SHA-256 + HMAC that any presign must do (the crypto floor), measured in the same run.
struct BenchPresignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "presign", abstract: "Measure presigning speed (median of 5 rounds).")

    @Option(help: "URLs per round.")
    var iterations: Int = 200_000

    func run() throws {
        guard iterations > 0 else { throw CLIError("--iterations must be positive.") }
        let credentials = Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let presigner = S3Presigner(endpoint: .aws(region: "us-east-1"), credentials: credentials)
        let key = "uploads/2026/11/3f9c2a7be1d04c55/holiday photo.jpg"
        let putHeaders: HTTPHeaders = [
            .init("Content-Type", "image/jpeg"), .init("Content-Length", "2483921"), .init("If-None-Match", "*"),
            .init("x-amz-checksum-sha256", "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="),
        ]
        var sink = 0
        let get = measure("presign-get") {
            sink &+= (try? presigner.url(method: "GET", bucket: "dropgate", key: key, expires: 300))?.utf8.count ?? 0
        }
        let put = measure("presign-put") {
            sink &+= (try? presigner.url(method: "PUT", bucket: "dropgate", key: key, expires: 900, headers: putHeaders))?.utf8.count ?? 0
        }
        let signingKey = SigningKey(secretAccessKey: credentials.secretAccessKey, dateStamp: "20261129", region: "us-east-1", service: "s3")
        let canonical = [UInt8](repeating: 0x61, count: 330)
        let floor = measure("crypto-floor") {
            let digest = SHA256.hash(data: canonical)
            sink &+= signingKey.signature(of: Array(digest)).utf8.count
        }
        print("sink \(sink % 10)")
        print(String(format: "ratio get/crypto-floor %.2f", get / floor))
        print(String(format: "presign-get %.3f us/url", get))
        print(String(format: "presign-put %.3f us/url", put))
    }

    /// Runs `body` `iterations` times after a warm-up, 5 rounds, and returns the median microseconds per call.
    func measure(_ name: String, _ body: () -> Void) -> Double {
        for _ in 0..<min(iterations, 20_000) { body() }
        var rounds: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            for _ in 0..<iterations { body() }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            rounds.append(seconds * 1e6 / Double(iterations))
        }
        let median = rounds.sorted()[2]
        let list = rounds.map { String(format: "%.3f", $0) }.joined(separator: " ")
        print("\(name) rounds \(list) us; median \(String(format: "%.3f", median)) us")
        return median
    }
}
