import Foundation
import HTTPServer
import Testing

/// The server on a real socket, driven byte by byte.
@Suite(.serialized)
struct HTTPServerLiveTests {
    @Test func answersAndKeepsTheConnectionAlive() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        client.read { $0.hasSuffix("{\"ok\":true}") }
        client.send("GET /items/a%20b HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = client.read { $0.hasSuffix("item a b") }
        #expect(client.responseCount == 2)
        #expect(text.contains("Content-Length: 11\r\n"))
        #expect(text.contains("Date: "))
        #expect(!client.isClosed)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send(
            "GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /items/3 HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        let text = client.read { $0.hasSuffix("item 3") }
        let first = try #require(text.range(of: "item 1"))
        let second = try #require(text.range(of: "hello"))
        let third = try #require(text.range(of: "item 3"))
        #expect(first.upperBound <= second.lowerBound && second.upperBound <= third.lowerBound)
    }

    @Test func chunkedBodyWithTrailersIsRead() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        client.send("6\r\n world\r\n0\r\nx-amz-checksum-crc32: DUoRhQ==\r\n\r\n")
        let text = client.read { $0.hasSuffix("hello world") }
        #expect(text.contains("X-Checksum: DUoRhQ==\r\n"))
        #expect(text.contains("X-Trailer-Count: 1\r\n"))
    }

    @Test func aBadTrailerClosesTheConnectionAfterOneAnswer() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        // A malformed trailer line, then bytes that would parse as a second request if the server read on.
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nbad trailer\r\n\r\n")
        client.send("GET /items/smuggled HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = client.read(timeout: 3)
        #expect(text.hasPrefix("HTTP/1.1 400 "))
        #expect(text.contains("Connection: close\r\n"))
        #expect(!text.contains("item smuggled"))
        #expect(client.responseCount == 1)
        #expect(client.closesWithin(3))
    }

    @Test func aBodySlowerThanTheMinimumRateGets408AndIsClosed() throws {
        var limits = HTTPLimits()
        limits.minimumBodyRate = 1_000
        limits.bodyRateGracePeriod = 1
        let server = try TestServer(limits: limits)
        let client = try RawClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
        let started = Date()
        var text = ""
        while text.isEmpty, Date().timeIntervalSince(started) < 5 {
            client.send("x")  // one byte every 0.2 s: 5 bytes a second
            text = client.read(timeout: 0.2)
        }
        #expect(text.hasPrefix("HTTP/1.1 408 "))
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(client.closesWithin(3))
        #expect(server.server.workerThreadCount == 0)  // the loop read the body and refused it
    }

    @Test func theConnectionsOfOneClientAreBoundedWhileAnotherIsServed() throws {
        var limits = HTTPLimits()
        limits.maximumConnectionsPerClient = 2
        let server = try TestServer(limits: limits)
        let held = try (0..<2).map { _ in try RawClient(port: server.port, source: "127.0.0.2") }
        held[0].send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        held[0].read { $0.hasSuffix("{\"ok\":true}") }  // both are admitted before the third arrives
        let refused = try RawClient(port: server.port, source: "127.0.0.2")
        #expect(refused.read(timeout: 3).hasPrefix("HTTP/1.1 429 Too Many Requests\r\n"))
        #expect(refused.closesWithin(3))
        let other = try RawClient(port: server.port, source: "127.0.0.3")
        other.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(other.read { $0.hasSuffix("{\"ok\":true}") }.hasPrefix("HTTP/1.1 200 OK"))
        held[1].send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(held[1].read { $0.hasSuffix("{\"ok\":true}") }.hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test func expectContinueGets100BeforeTheBody() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        let interim = client.read(timeout: 2) { $0.contains("\r\n\r\n") }
        #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
        client.send("body")
        let text = client.read { $0.hasSuffix("body") }
        #expect(text.contains("HTTP/1.1 200 OK"))
    }

    @Test func earlyAnswerWithoutContinueClosesTheConnection() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send("PUT /deny HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n")
        let text = client.read { $0.hasSuffix("denied\n") }
        #expect(text.hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(!text.contains("100 Continue"))
        #expect(text.contains("Connection: close\r\n"))
        #expect(client.closesWithin(3))
    }

    @Test func smallUnreadBodyIsDrainedAndTheConnectionKept() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send("PUT /deny HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789GET /items/2 HTTP/1.1\r\nHost: x\r\n\r\n")
        client.read { $0.hasSuffix("item 2") }
        #expect(client.responseCount == 2)
        #expect(!client.isClosed)
    }

    @Test func headHasLengthButNoBody() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send("HEAD /ping HTTP/1.1\r\nHost: x\r\n\r\nGET /items/9 HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = client.read { $0.hasSuffix("item 9") }
        #expect(text.contains("Content-Length: 11\r\n"))
        #expect(!text.contains("{\"ok\":true}"))
        #expect(client.responseCount == 2)
    }

    @Test func httpTenAndConnectionCloseEndTheConnection() throws {
        let server = try TestServer()
        let old = try RawClient(port: server.port)
        old.send("GET /ping HTTP/1.0\r\n\r\n")
        #expect(old.closesWithin(3))
        #expect(old.text.hasPrefix("HTTP/1.1 200 OK"))
        let closing = try RawClient(port: server.port)
        closing.send("GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(closing.closesWithin(3))
        #expect(closing.text.contains("Connection: close\r\n"))
    }

    @Test func streamedResponsesAreChunked() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = client.read { $0.hasSuffix("0\r\n\r\n") }
        #expect(text.contains("Transfer-Encoding: chunked\r\n"))
        #expect(text.hasSuffix("\r\n\r\n6\r\npart0;\r\n6\r\npart1;\r\n6\r\npart2;\r\n0\r\n\r\n"))
    }

    @Test func aStreamThatFailsBeforeItsFirstByteIsAnsweredWithItsErrorNeverATruncated200() throws {
        let server = try TestServer { router in
            router.add("GET", "/gone") { _, _ in HTTPResponse(status: 200, body: .stream(length: 16) { _ in throw Teapot() }) }
            router.add("GET", "/broken") { _, _ in HTTPResponse(status: 200, body: .stream(length: 16) { _ in throw CocoaError(.fileNoSuchFile) }) }
            router.add("GET", "/cut") { _, _ in
                HTTPResponse(
                    status: 200,
                    body: .stream(length: 16) { writer in
                        try writer.write(Array("eight b.".utf8))
                        throw Teapot()
                    })
            }
        }
        let gone = try RawClient(port: server.port)
        gone.send("GET /gone HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = gone.read { $0.hasSuffix("I'm a teapot") }
        #expect(text.hasPrefix("HTTP/1.1 418") && !text.contains("Content-Length: 16"))
        gone.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")  // the connection still serves
        #expect(gone.read { $0.hasSuffix("{\"ok\":true}") }.contains("{\"ok\":true}"))
        let broken = try RawClient(port: server.port)
        broken.send("GET /broken HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(broken.read { $0.contains("\r\n\r\n") }.hasPrefix("HTTP/1.1 502"))
        // After its first byte a failure can only cut the connection: the client sees a short body, never a whole one.
        let cut = try RawClient(port: server.port)
        cut.send("GET /cut HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(cut.closesWithin(3))
        #expect(cut.text.hasPrefix("HTTP/1.1 200") && cut.text.hasSuffix("eight b."))
    }

    @Test func routingErrorsAndCrashes() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(client.read { $0.contains("\r\n\r\n") && $0.hasSuffix("\n") }.hasPrefix("HTTP/1.1 404 Not Found"))
        let wrongMethod = try RawClient(port: server.port)
        wrongMethod.send("DELETE /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = wrongMethod.read { $0.hasSuffix("\n") && $0.contains("\r\n\r\n") }
        #expect(text.hasPrefix("HTTP/1.1 405"))
        #expect(text.contains("Allow: GET\r\n"))
        let crash = try RawClient(port: server.port)
        crash.send("GET /crash HTTP/1.1\r\nHost: x\r\n\r\n")
        let crashText = crash.read { $0.hasSuffix("\n") && $0.contains("\r\n\r\n") }
        #expect(crashText.hasPrefix("HTTP/1.1 500"))
        #expect(!crashText.contains("hunter2"))
        #expect(!crashText.contains("CocoaError"))
        let teapot = try RawClient(port: server.port)
        teapot.send("GET /teapot HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(teapot.read { $0.hasSuffix("teapot") }.hasPrefix("HTTP/1.1 418"))
    }

    @Test func malformedRequestGets400AndIsClosed() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        #expect(client.closesWithin(3))
        #expect(client.text.hasPrefix("HTTP/1.1 400 Bad Request"))
        #expect(client.text.contains("Content-Length and Transfer-Encoding"))
    }

    @Test func slowHeadGets408() throws {
        var limits = HTTPLimits()
        limits.headerTimeout = 1
        let server = try TestServer(limits: limits)
        let client = try RawClient(port: server.port)
        let start = Date()
        for byte in "GET /ping HTTP/1.1\r\nHos".utf8 {
            client.send([byte])
            if client.closesWithin(0.2) { break }
        }
        #expect(client.closesWithin(3))
        #expect(client.text.hasPrefix("HTTP/1.1 408"))
        #expect(Date().timeIntervalSince(start) < 4)
    }

    @Test func accessLogRedactsSignatures() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.send("GET /ping?X-Amz-Credential=AKID%2F2026&X-Amz-Signature=abcdef&partNumber=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        client.read { $0.hasSuffix("}") }
        Thread.sleep(forTimeInterval: 0.1)
        let entry = try #require(server.log.entries.first)
        #expect(entry.target == "/ping?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&partNumber=1")
        #expect(entry.status == 200)
        #expect(entry.bytesSent == 11)
    }

    @Test func shutdownLetsInFlightRequestsFinish() throws {
        let server = try TestServer()
        let busy = try RawClient(port: server.port)
        let idle = try RawClient(port: server.port)
        idle.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        idle.read { $0.hasSuffix("}") }
        busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.1)
        server.server.shutdown()
        #expect(busy.read { $0.hasSuffix("slow done") }.hasSuffix("slow done"))
        #expect(idle.closesWithin(2))
        #expect(server.server.connectionCount == 0)
        #expect(throws: (any Error).self) {
            let late = try RawClient(port: server.port)
            late.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            if late.closesWithin(1) && late.text.isEmpty { throw HTTPProtocolError(0, "refused") }
        }
    }

    @Test func listensOnIPv6() throws {
        var router = Router()
        router.add("GET", "/ping") { _, _ in HTTPResponse.text(200, "pong over IPv6") }
        let server = HTTPServer(configuration: .init(host: "::1", port: 0), handler: router)
        let port = try server.start()
        defer { server.shutdown() }
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sS", "-g", "http://[::1]:\(port)/ping"]
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        curl.waitUntilExit()
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "pong over IPv6")
    }
}
