import HTTPServer
import Testing

/// Chunked bodies decoded piece by piece, trailers included, and the malformed ones refused.
struct ChunkedDecoderTests {
    /// Decodes `wire` fed `step` bytes at a time; returns the body and the trailers.
    static func decode(_ wire: String, step: Int = .max, limits: HTTPLimits = HTTPLimits()) throws -> ([UInt8], [HTTPHeaders.Field]) {
        var decoder = ChunkedDecoder(limits: limits)
        let bytes = Array(wire.utf8)
        var pending: [UInt8] = []
        var offset = 0
        var body: [UInt8] = []
        while true {
            let (consumed, event) = try pending.withUnsafeBufferPointer { try decoder.next($0) }
            switch event {
            case .data(let range):
                body.append(contentsOf: pending[range])
                pending.removeFirst(consumed)
            case .end(let trailers):
                return (body, trailers)
            case .needMore:
                pending.removeFirst(consumed)
                if consumed == 0 {
                    guard offset < bytes.count else { throw HTTPProtocolError(400, "truncated") }
                    let end = min(bytes.count, offset + step)
                    pending.append(contentsOf: bytes[offset..<end])
                    offset = end
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func decodesInAnySteps(step: Int) throws {
        let wire = "5\r\nhello\r\n6;name=value\r\n world\r\n0\r\nx-amz-checksum-crc32: AAAAAA==\r\nX-Other: 1\r\n\r\n"
        let (body, trailers) = try Self.decode(wire, step: step)
        #expect(String(decoding: body, as: UTF8.self) == "hello world")
        #expect(trailers == [HTTPHeaders.Field("x-amz-checksum-crc32", "AAAAAA=="), HTTPHeaders.Field("X-Other", "1")])
    }

    /// How the event loop checks a body that trickles in: the buffer grows a byte at a time, and each call goes on from
    /// where the last stopped. It ends exactly at the body's last byte, and never before.
    @Test func skippingAGrowingBufferEndsExactlyAtTheBodysEnd() throws {
        let wire = Array("5\r\nhello\r\n6;name=value\r\n world\r\n0\r\nX-Other: 1\r\n\r\n".utf8)
        var decoder = ChunkedDecoder()
        var offset = 0
        for end in 1...wire.count {
            let (consumed, ended) = try wire[offset..<end].withUnsafeBufferPointer { try decoder.skip($0) }
            offset += consumed
            #expect(ended == (end == wire.count), "after \(end) bytes")
        }
        #expect(offset == wire.count)
        #expect(decoder.decodedLength == 11)
    }

    @Test func emptyBodyWithoutTrailers() throws {
        let (body, trailers) = try Self.decode("0\r\n\r\n")
        #expect(body.isEmpty)
        #expect(trailers.isEmpty)
    }

    static let malformed: [(String, String)] = [
        ("z\r\nhello\r\n0\r\n\r\n", "not hex"),
        ("\r\nhello\r\n0\r\n\r\n", "empty size"),
        ("ffffffffffffffffff\r\n", "size overflow"),
        ("-5\r\nhello\r\n0\r\n\r\n", "negative size"),
        ("5\r\nhelloXX0\r\n\r\n", "missing CRLF after data"),
        ("5 x\r\nhello\r\n0\r\n\r\n", "junk after size"),
        ("5\nhello\r\n0\r\n\r\n", "bare LF after size"),
        ("5;a=\u{1}\r\nhello\r\n0\r\n\r\n", "control char in extension"),
        ("0\r\nBad Trailer: x\r\n\r\n", "bad trailer name"),
    ]

    @Test(arguments: 0..<malformed.count)
    func malformedChunksAreRefused(index: Int) {
        let (wire, name) = Self.malformed[index]
        #expect(throws: HTTPProtocolError.self, "\(name)") { try Self.decode(wire) }
    }

    @Test func longExtensionIsRefused() {
        var limits = HTTPLimits()
        limits.maximumChunkExtensionLength = 32
        #expect(throws: HTTPProtocolError.self) { try Self.decode("5;\(String(repeating: "e", count: 100))\r\nhello\r\n0\r\n\r\n", limits: limits) }
    }
}
