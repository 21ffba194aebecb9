import Crypto
import DropgateAPI
import DropgateClient
import Foundation
import HTTPWire
import S3Client
import SigV4
import Synchronization

/// What the accounts benchmark puts in the bucket itself: an account's personal token (as a sign-in would have made
/// it: the record that `POST /api/me/tokens` writes), and share records copied from one the gateway made.
enum BenchAccount {
    /// A token with every scope for a new account; its record is written where the gateway looks for it.
    static func seedToken(_ client: S3Client) throws -> String {
        let random = { (count: Int) in Base64URL.encode((0..<count).map { _ in UInt8.random(in: 0...255) }) }
        let (owner, id, secret) = (random(16), random(16), random(32))
        let record: [String: Any] = [
            "id": id, "name": "bench", "scopes": ["admin", "shares", "upload"], "createdAt": Int(Date().timeIntervalSince1970),
            "hash": Hex.string(Array(SHA256.hash(data: Array(secret.utf8)))),
        ]
        let body = try JSONSerialization.data(withJSONObject: record)
        try client.putObject(key: ".dropgate/accounts/\(owner)/tokens/\(id).json", body: Array(body), contentType: "application/json")
        return "dgp.\(owner).\(id).\(secret)"
    }

    /// `count` anonymous copies of the record at `key`, each under a new random id, written by four clients at once.
    static func copyRecords(bench: BenchStore, from key: String, count: Int) throws {
        let template = try bench.client().getObject(key: key).bytes
        guard var record = try JSONSerialization.jsonObject(with: Data(template)) as? [String: Any] else {
            throw ClientError("the share record at \(key) is not a JSON object")
        }
        record["owner"] = nil
        let stripped = Array(try JSONSerialization.data(withJSONObject: record))
        let writers = 4
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            let client = bench.client()
            guard var copy = (try? JSONSerialization.jsonObject(with: Data(stripped))) as? [String: Any] else { return }
            for _ in stride(from: writer, to: count, by: writers) {
                let id = Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
                copy["id"] = id
                do {
                    let body = try JSONSerialization.data(withJSONObject: copy)
                    try client.putObject(key: ".dropgate/shares/\(id).json", body: Array(body), contentType: "application/json")
                } catch {
                    failures.withLock { $0.append("\(error)") }
                    return
                }
            }
        }
        if let failure = failures.withLock({ $0.first }) { throw ClientError("copying share records failed: \(failure)") }
    }
}
