import HTTPServer
import Testing

/// A head parses the same however it is split across reads (and across parking): every prefix of a head that fits
/// the limits is incomplete, never refused; the fuzz target checks the same on random inputs. The fuzzer found the
/// case of a head right at the limits, refused when split near its end and taken whole.
struct HTTPRequestParserSplitTests {
    static let limits: HTTPLimits = {
        var limits = HTTPLimits()
        limits.maximumRequestLineLength = 64
        limits.maximumHeaderBytes = 128
        return limits
    }()

    /// A request line of exactly the maximum and header fields of exactly the maximum.
    static let head: [UInt8] = {
        let line = "GET /" + String(repeating: "a", count: 64 - "GET / HTTP/1.1".utf8.count) + " HTTP/1.1"
        let host = "Host: x\r\n"
        let filler = "X-Fill: " + String(repeating: "b", count: 128 - host.utf8.count - "X-Fill: ".utf8.count)
        return Array((line + "\r\n" + host + filler + "\r\n\r\n").utf8)
    }()

    static func parse(_ bytes: [UInt8]) throws -> HTTPRequestParser.Result {
        try bytes.withUnsafeBufferPointer { try HTTPRequestParser.parse($0, limits: limits) }
    }

    @Test func theHeadIsAtTheLimits() throws {
        guard case .complete(_, let consumed) = try Self.parse(Self.head) else {
            Issue.record("the whole head did not parse")
            return
        }
        #expect(consumed == Self.head.count)
    }

    @Test(arguments: 0..<head.count)
    func everyPrefixIsIncomplete(length: Int) throws {
        guard case .incomplete = try Self.parse(Array(Self.head.prefix(length))) else {
            Issue.record("a prefix of \(length) bytes was not incomplete")
            return
        }
    }

    @Test func oneByteMoreIsRefusedWhateverTheSplit() {
        var line = Self.head
        line.insert(0x61, at: 6)  // the request line one byte over
        #expect(throws: HTTPProtocolError.self) { try Self.parse(Array(line.prefix(66))) }
        #expect(throws: HTTPProtocolError.self) { try Self.parse(line) }
        var fields = Self.head
        fields.insert(0x62, at: fields.count - 6)  // the fields one byte over
        #expect(throws: HTTPProtocolError.self) { try Self.parse(Array(fields.prefix(fields.count - 1))) }
        #expect(throws: HTTPProtocolError.self) { try Self.parse(fields) }
    }
}
