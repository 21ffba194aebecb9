import Foundation
import HTTPServer
import Synchronization
import Testing

/// The event loops answer requests that never block on the spot, and hand the rest to workers (issue 14): a body that
/// is not all there yet, the blocking rest of a loop route's work, a response the socket will not take at once, and the
/// pipelined requests past one turn all end on a worker and still get their answers, in order.
@Suite(.serialized)
struct EventLoopTests {
    /// How many times a handler did its work.
    final class CallCount: Sendable {
        let value = Mutex(0)
    }

    /// A server whose `/where` routes answer with where they ran (`loop` or `worker`) and the body they read.
    static func whereServer(calls: CallCount? = nil) throws -> TestServer {
        try TestServer { router in
            let answer: @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPResponse = { request, body in
                calls?.value.withLock { $0 += 1 }
                let bytes = try body.readAll(limit: 1 << 20)
                return HTTPResponse.text(200, "\(Self.whereThisRuns) \(String(decoding: bytes, as: UTF8.self))")
            }
            // The loop route does the blocking rest of `?block` on a worker, after reading the body on the loop.
            router.addOnEventLoop("POST", "/where") { request, body in
                guard request.hasQueryItem("block") else { return .response(try answer(request, body)) }
                let bytes = try body.readAll(limit: 1 << 20)
                let seen = Self.whereThisRuns
                return .onWorker {
                    calls?.value.withLock { $0 += 1 }
                    return HTTPResponse.text(200, "\(seen), then \(Self.whereThisRuns) \(String(decoding: bytes, as: UTF8.self))")
                }
            }
            router.add("POST", "/where-blocking", answer)
            router.add("GET", "/big", onEventLoop: true) { _, _ in
                HTTPResponse(status: 200, body: .bytes([UInt8](repeating: 0x61, count: 16 << 20)))
            }
        }
    }

    /// `loop` or `worker`: the kind of server thread this runs on.
    static var whereThisRuns: String {
        switch Thread.current.name {
        case HTTPServer.loopThreadName: "loop"
        case HTTPServer.workerThreadName: "worker"
        default: "elsewhere"
        }
    }

    static func post(_ path: String, _ body: String) -> String {
        "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test func aRequestThatNeverBlocksIsAnsweredOnTheLoopAndTheOthersOnAWorker() throws {
        let server = try Self.whereServer()
        let client = try RawClient(port: server.port)
        client.send(Self.post("/where", "hello"))
        #expect(client.read { $0.hasSuffix("loop hello") }.hasPrefix("HTTP/1.1 200 OK"))
        client.send(Self.post("/where-blocking", "there"))
        #expect(client.read { $0.hasSuffix("worker there") }.contains("worker there"))
        // Back on the loop for the next request, once the worker's client went quiet and the worker handed it back.
        let deadline = Date().addingTimeInterval(10)
        while server.server.parkedConnectionCount < 1 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        client.send(Self.post("/where", "again"))
        #expect(client.read { $0.hasSuffix("loop again") }.contains("loop again"))
    }

    @Test func aBodyThatIsNotAllThereYetIsReadOnTheLoopThenAnswered() throws {
        let server = try Self.whereServer()
        let client = try RawClient(port: server.port)
        client.send("POST /where HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf-")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(server.server.parkedConnectionCount == 1)  // waiting for the rest without a thread
        client.send("done!")
        #expect(client.read { $0.hasSuffix("half-done!") }.hasSuffix("loop half-done!"))
    }

    @Test func aLoopRouteHandsItsBlockingRestToAWorkerWithoutBeingCalledAgain() throws {
        let calls = CallCount()
        let server = try Self.whereServer(calls: calls)
        let client = try RawClient(port: server.port)
        client.send(Self.post("/where?block", "the body") + Self.post("/where", "next"))
        let text = client.read { $0.hasSuffix("loop next") || $0.hasSuffix("worker next") }
        #expect(text.contains("loop, then worker the body"))
        #expect(text.hasSuffix("next"))
        #expect(client.responseCount == 2)
        #expect(calls.value.withLock { $0 } == 2)  // the rest once, and the next request
    }

    @Test(arguments: [1, 16, 17, 40])
    func pipelinedRequestsAreAllAnsweredInOrder(count: Int) throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        var batch = ""
        for index in 0..<count { batch += "GET /items/\(index) HTTP/1.1\r\nHost: x\r\n\r\n" }
        batch += "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /items/last HTTP/1.1\r\nHost: x\r\n\r\n"
        client.send(batch)
        let text = client.read { $0.hasSuffix("item last") }
        #expect(client.responseCount == count + 2)
        var position = text.startIndex
        for expected in (0..<count).map({ "item \($0)" }) + ["slow done", "item last"] {
            guard let found = text.range(of: expected, range: position..<text.endIndex) else {
                Issue.record("\(expected) is missing or out of order")
                return
            }
            position = found.upperBound
        }
    }

    @Test func aResponseTheSocketWillNotTakeAtOnceIsFinishedByAWorker() throws {
        let server = try Self.whereServer()
        let client = try RawClient(port: server.port)
        client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.3)  // not reading: the socket's buffers fill and the loop hands the rest on
        let pinger = try RawClient(port: server.port)
        pinger.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(pinger.read { $0.hasSuffix("{\"ok\":true}") }.hasPrefix("HTTP/1.1 200 OK"))  // the loop was not held up
        client.readBytes(16 << 20 + 100)
        let head = String(decoding: client.received.prefix(200), as: UTF8.self)
        #expect(head.hasPrefix("HTTP/1.1 200 OK") && head.contains("Content-Length: 16777216"))
        let headLength = (head.range(of: "\r\n\r\n").map { head.utf8.distance(from: head.startIndex, to: $0.upperBound) }) ?? 0
        #expect(client.received.count == headLength + 16 << 20)
        #expect(client.received.suffix(16 << 20).allSatisfy { $0 == 0x61 })
        client.received = []
        client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")  // kept alive after the worker finished the write
        #expect(client.read { $0.hasSuffix("{\"ok\":true}") }.hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test func busyKeepAliveClientsNeedNoThreadEach() throws {
        let server = try TestServer()
        let before = ConnectionParkingTests.threadCount()
        let clients = try (0..<64).map { _ in try RawClient(port: server.port) }
        for _ in 0..<20 {
            for client in clients { client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n") }
            for client in clients {
                client.read { $0.hasSuffix("{\"ok\":true}") }
                #expect(client.text.hasPrefix("HTTP/1.1 200 OK"))
                client.received = []
            }
        }
        // Every request was answered on the loops: no worker started for 64 connections.
        #expect(ConnectionParkingTests.threadCount() - before < 8, "threads: \(ConnectionParkingTests.threadCount()) after, \(before) before")
    }
}
