import Foundation
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
            canonical.withView { $0.appendBlock(to: &block) }
            let expected = Self.reference(headers)
            #expect(String(decoding: block, as: UTF8.self) == expected.block, "\(headers)")
            #expect(canonical.signedHeaders == expected.signed)
        }
    }

    @Test(arguments: [0, 1, 4, 16, 17])
    func scratchCanonicalHeadersMatchTheReference(count: Int) {
        var random = SystemRandomNumberGenerator()
        let pool = ["Content-Type", "content-type", "x-amz-checksum-sha256", "If-None-Match", "X-Amz-Meta-Note", "a", "A-"]
        for _ in 0..<200 {
            let headers = (0..<count).map { index in
                (pool.randomElement(using: &random)!, [" v\(index) ", "a  b", "\tx\ty ", "", "image/jpeg", "\u{01}x"].randomElement(using: &random)!)
            }
            let host = ["example.com", "bucket.s3.amazonaws.com:8443", " padded  host "].randomElement(using: &random)!
            let expected = Self.reference(headers + [("host", host)])
            let scratch = ScratchCanonicalHeaders(HTTPHeaders(headers.map { .init($0.0, $0.1) }), adding: .init("host", host))
            let (block, signed, encoded) = {
                let view = scratch.view
                var block: [UInt8] = []
                var signed: [UInt8] = []
                var encoded: [UInt8] = []
                view.appendBlock(to: &block)
                view.appendSignedHeaders(to: &signed)
                view.appendEncodedSignedHeaders(to: &encoded)
                return (String(decoding: block, as: UTF8.self), String(decoding: signed, as: UTF8.self), String(decoding: encoded, as: UTF8.self))
            }()
            #expect(block == expected.block, "\(headers)")
            #expect(signed == expected.signed)
            #expect(encoded == expected.signed.replacingOccurrences(of: ";", with: "%3B"))
        }
    }
}
