import Foundation
import SigV4

/// A deterministic random generator, so that property tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Fixed credentials, clock and random requests for verifier tests.
enum VerifierFixtures {
    static let credentials = Credentials(accessKeyID: "DROPGATEKEY", secretAccessKey: "dropgate/secret+KEY=0123456789abcdef")
    static let date = AmzDate(timestamp: "20261129T100000Z")!

    static func signer(_ credentials: Credentials = credentials) -> Signer {
        Signer(credentials: credentials, region: "us-east-1", now: { date.date })
    }

    static func verifier(at clock: AmzDate = date) -> Verifier {
        Verifier(region: "us-east-1", now: { clock.date }, lookup: { $0 == credentials.accessKeyID ? credentials : nil })
    }

    /// Keys with every character S3 allows that tends to break signers.
    static let keyAlphabet: [String] = [
        "a", "Z", "0", " ", "+", "=", "&", "%", "/", "//", "./", "../", "~", "!", "$", "ü", "日", "(", "'", "*", ",", ";", ":", "@",
    ]

    /// A random object request: path-style key, some operation parameters and extra signed headers.
    static func randomRequest(_ random: inout SplitMix64) -> SignableRequest {
        let methods = ["GET", "PUT", "HEAD", "DELETE", "POST"]
        var key = ""
        for _ in 0..<Int.random(in: 1...12, using: &random) { key += keyAlphabet.randomElement(using: &random)! }
        let path = "/bucket/" + PercentEncoding.encode(key, keepingSlash: true)
        var query: [SignableRequest.QueryItem] = []
        if Bool.random(using: &random) { query.append(.init("partNumber", String(Int.random(in: 1...10_000, using: &random)))) }
        if Bool.random(using: &random) { query.append(.init("uploadId", PercentEncoding.encode("id/\(random.next())+=="))) }
        if Bool.random(using: &random) {
            query.append(.init("response-content-disposition", PercentEncoding.encode("attachment; filename=\"\(key)\"")))
        }
        var headers: [SignableRequest.Header] = [.init("Host", "127.0.0.1:5002")]
        if Bool.random(using: &random) {
            headers.append(.init("Content-Type", ["image/png", "text/plain; charset=utf-8"].randomElement(using: &random)!))
        }
        if Bool.random(using: &random) { headers.append(.init("Content-Length", String(random.next() % 1_000_000))) }
        if Bool.random(using: &random) { headers.append(.init("If-None-Match", "*")) }
        if Bool.random(using: &random) { headers.append(.init("x-amz-meta-owner", "user \(random.next() % 100)")) }
        return SignableRequest(method: methods.randomElement(using: &random)!, path: path, query: query, headers: HTTPHeaders(headers))
    }

    static let seeds: [UInt64] = Array(1...60)
}
