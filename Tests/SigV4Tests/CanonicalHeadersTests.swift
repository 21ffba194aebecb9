import Testing

@testable import SigV4

/// Canonical headers against a plain reference: names lowercased, a repeated name's values joined with "," in the
/// order they came, values trimmed with inner runs of blanks collapsed, names sorted byte-wise.
struct CanonicalHeadersTests {
    static func reference(_ headers: [(String, String)]) -> (block: String, signed: String) {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let lowered = name.lowercased()
            if values[lowered] == nil { order.append(lowered) }
            let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            values[lowered, default: []].append(words.joined(separator: " "))
        }
        let names = order.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        return (names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined(), names.joined(separator: ";"))
    }

    @Test(arguments: [1, 2, 5, 16, 17, 40])
    func randomHeadersCanonicalizeAsTheReferenceDoes(count: Int) {
        var random = SystemRandomNumberGenerator()
        let pool = ["Host", "x-amz-date", "X-Amz-Meta-A", "content-type", "Content-Type", "x-amz-meta-a", "If-None-Match", "a", "A-", "zz"]
        for _ in 0..<200 {
            let headers = (0..<count).map { index in
                (pool.randomElement(using: &random)!, [" v\(index) ", "a  b", "\tx\ty ", "", "c,d"].randomElement(using: &random)!)
            }
            let canonical = CanonicalHeaders(HTTPHeaders(headers.map { .init($0.0, $0.1) }))
            var block: [UInt8] = []
            canonical.appendBlock(to: &block)
            let expected = Self.reference(headers)
            #expect(String(decoding: block, as: UTF8.self) == expected.block, "\(headers)")
            #expect(canonical.signedHeaders == expected.signed)
        }
    }

    @Test func aLoneCanonicalHeaderIsSignedAsTheGeneralPathSignsIt() {
        for host in ["example.com", "bucket.s3.amazonaws.com:8443", " padded.example "] {
            let lone = CanonicalHeaders([], adding: .init("host", host))
            let general = CanonicalHeaders([.init("Host", host)])
            var loneBlock: [UInt8] = []
            var generalBlock: [UInt8] = []
            lone.appendBlock(to: &loneBlock)
            general.appendBlock(to: &generalBlock)
            #expect(loneBlock == generalBlock)
            var loneEncoded: [UInt8] = []
            var generalEncoded: [UInt8] = []
            lone.appendEncodedSignedHeaders(to: &loneEncoded)
            general.appendEncodedSignedHeaders(to: &generalEncoded)
            #expect(loneEncoded == generalEncoded && lone.signedHeaders == "host")
        }
    }
}
