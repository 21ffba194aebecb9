import Testing

@testable import HTTPServer

/// The parser on raw bytes: what it accepts, and every way it refuses.
struct HTTPRequestParserTests {
    static func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) throws -> HTTPRequestParser.Result {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { try HTTPRequestParser.parse($0, limits: limits) }
    }

    static func request(_ text: String) throws -> (HTTPRequest, Int) {
        guard case .complete(let request, let consumed) = try parse(text) else {
            Issue.record("incomplete: \(text.debugDescription)")
            throw HTTPProtocolError(0, "incomplete")
        }
        return (request, consumed)
    }

    static func status(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Int? {
        do {
            _ = try parse(text, limits: limits)
            return nil
        } catch let error as HTTPProtocolError {
            return error.status.code
        } catch {
            return -1
        }
    }

    @Test func parsesASimpleGet() throws {
        let text = "GET /bucket/a%20b?uploads&partNumber=2 HTTP/1.1\r\nHost: localhost:5002\r\nX-Amz-Date:20261129T100000Z\r\n\r\nNEXT"
        let (request, consumed) = try Self.request(text)
        #expect(request.method == "GET")
        #expect(request.path == "/bucket/a%20b")
        #expect(request.query == "uploads&partNumber=2")
        #expect(request.queryValue("partNumber") == "2")
        #expect(request.hasQueryItem("uploads"))
        #expect(request.headers["host"] == "localhost:5002")
        #expect(request.headers["x-amz-date"] == "20261129T100000Z")
        #expect(request.keepAlive)
        #expect(request.framing == .none)
        #expect(consumed == text.utf8.count - 4)
    }

    @Test func incompleteHeadAsksForMore() throws {
        guard case .incomplete = try Self.parse("GET / HTTP/1.1\r\nHost: a\r\n") else {
            Issue.record("expected incomplete")
            return
        }
    }

    @Test func parsesFramingAndExpectations() throws {
        let (put, _) = try Self.request("PUT /b/k HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(put.framing == .length(5))
        #expect(put.expectsContinue)
        let (chunked, _) = try Self.request("POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n")
        #expect(chunked.framing == .chunked)
        let (same, _) = try Self.request("PUT /b HTTP/1.1\r\nHost: a\r\nContent-Length: 7, 7\r\nContent-Length: 7\r\n\r\n")
        #expect(same.framing == .length(7))
    }

    /// One Content-Length of plain digits takes a shorter path than a list or a padded value: each value here frames
    /// the request as the general rules say, with a leading zero, at 18 digits, and for zero (no body).
    @Test(
        arguments: [("0", nil), ("5", 5), ("007", 7), ("123456789012345678", 123_456_789_012_345_678), ("5, 5", 5), (" 5", 5)] as [(String, Int64?)])
    func aContentLengthFramesTheRequest(value: String, length: Int64?) throws {
        let (request, _) = try Self.request("PUT /b HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\n")
        #expect(request.framing == (length.map { .length($0) } ?? HTTPRequest.BodyFraming.none))
        #expect(HTTPRequestParser.plainLength(value) == (value.allSatisfy(\.isNumber) ? Int64(value) : nil))
    }

    @Test func httpTenClosesUnlessKeepAlive() throws {
        let (plain, _) = try Self.request("GET / HTTP/1.0\r\n\r\n")
        #expect(!plain.keepAlive)
        let (kept, _) = try Self.request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(kept.keepAlive)
        let (closed, _) = try Self.request("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(!closed.keepAlive)
    }

    @Test func absoluteFormKeepsPathAndQuery() throws {
        let (request, _) = try Self.request("GET http://example.com:80/a/b?c=d HTTP/1.1\r\nHost: example.com\r\n\r\n")
        #expect(request.path == "/a/b")
        #expect(request.query == "c=d")
    }

    /// The request-smuggling cases and other malformed heads, with the status each must get.
    static let refused: [(String, Int, String)] = [
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "CL+TE"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400, "TE+CL"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400, "CL,CL differing"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n", 400, "CL list differing"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", 400, "CL sign"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n", 400, "CL hex"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", 400, "CL overflow"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400, "CL empty"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400, "TE chunked twice"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "TE header twice"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501, "TE gzip"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", 501, "TE unknown"),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "TE in 1.0"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-Folded: a\r\n b\r\n\r\n", 400, "obs-fold"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-Space : a\r\n\r\n", 400, "space before colon"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX(Bad): a\r\n\r\n", 400, "bad token"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-Ctl: a\u{1}b\r\n\r\n", 400, "control char"),
        ("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400, "no colon"),
        ("GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n", 400, "empty name"),
        ("GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", 400, "bare LF in header"),
        ("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", 400, "bare CR in header"),
        ("GET / HTTP/1.1\r\n\r\n", 400, "no Host"),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "two Hosts"),
        ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bad method"),
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "double space"),
        ("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, "trailing space"),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "HTTP/2"),
        ("GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400, "bad version"),
        ("GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "relative target"),
        ("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, "asterisk GET"),
        ("GET /\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", 400, "DEL in target"),
        ("GET / HTTP/1.1\nHost: a\n\n", 400, "bare LF lines"),
    ]

    @Test(arguments: 0..<refused.count)
    func malformedHeadsAreRefused(index: Int) {
        let (text, status, name) = Self.refused[index]
        #expect(Self.status(text) == status, "\(name)")
    }

    @Test(arguments: ["200-ok", "", "100-Continue ", "something else"])
    func expectationsOtherThanContinueAreIgnored(value: String) throws {
        let text = "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: \(value)\r\n\r\n"
        let (request, _) = try Self.request(text)
        #expect(request.expectsContinue == (value.lowercased().hasPrefix("100-continue")))
    }

    @Test func longTargetGets414() {
        var limits = HTTPLimits()
        limits.maximumRequestLineLength = 100
        #expect(Self.status("GET /\(String(repeating: "a", count: 120)) HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits) == 414)
        #expect(Self.status("GET /\(String(repeating: "a", count: 120))", limits: limits) == 414)
        #expect(Self.status("GET /\(String(repeating: "a", count: 80)) HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits) == nil)
    }

    @Test func bigHeadersGet431() {
        var limits = HTTPLimits()
        limits.maximumHeaderBytes = 200
        limits.maximumHeaderCount = 5
        #expect(Self.status("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "b", count: 300))\r\n\r\n", limits: limits) == 431)
        #expect(Self.status("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "b", count: 300))", limits: limits) == 431)
        let many = (0..<6).map { "X\($0): v\r\n" }.joined()
        #expect(Self.status("GET / HTTP/1.1\r\nHost: a\r\n\(many)\r\n", limits: limits) == 431)
        #expect(Self.status("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "b", count: 100))\r\n\r\n", limits: limits) == nil)
    }
}
