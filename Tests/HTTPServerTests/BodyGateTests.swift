import Foundation
import HTTPServer
import Testing

/// Issue 27, item 2: bodies are read on the event loops into bounded buffers. A handler's in-memory bodies come whole
/// (or are refused 413 there); streamed ones go to a worker once 64 KiB are here, and only while fewer than
/// `limits.streamingWorkers` read one; all the loops hold at most `limits.bufferedBodyBytes`.
@Suite(.serialized)
struct BodyGateTests {
    static func post(_ path: String, length: Int, _ body: String) -> String {
        "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: \(length)\r\n\r\n\(body)"
    }

    @Test func anInMemoryBodyComesWholeAndALargerOneIsRefusedOnTheLoop() throws {
        let server = try TestServer { $0.inMemoryBodyLimit = 200_000 }
        let big = String(repeating: "b", count: 150_000)  // past bodyReadyBytes, within the limit
        let client = try RawClient(port: server.port)
        client.send(Self.post("/echo", length: big.utf8.count, String(big.prefix(100_000))))
        Thread.sleep(forTimeInterval: 0.2)
        #expect(server.server.parkedConnectionCount == 1)
        client.send(String(big.dropFirst(100_000)))
        #expect(client.read { $0.hasSuffix(big) }.hasPrefix("HTTP/1.1 200 OK"))
        #expect(server.server.workerThreadCount == 0)  // whole, so the loop route answered on the loop
        let refused = try RawClient(port: server.port)
        refused.send(Self.post("/echo", length: 300_000, "x"))
        #expect(refused.read { $0.contains("\r\n\r\n") }.hasPrefix("HTTP/1.1 413"))
        #expect(refused.closesWithin(3))
        #expect(server.server.workerThreadCount == 0)
    }

    @Test func streamedBodiesWaitForAStreamingWorker() throws {
        let server = try TestServer(
            limits: .with {
                $0.streamingWorkers = 1
                $0.bodyReadyBytes = 16
            })
        let first = try RawClient(port: server.port)
        let second = try RawClient(port: server.port)
        let head = "PUT /count HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
        first.send(head + String(repeating: "1", count: 20))
        Thread.sleep(forTimeInterval: 0.1)
        second.send(head + String(repeating: "2", count: 20))
        Thread.sleep(forTimeInterval: 0.3)
        #expect(server.server.workerThreadCount == 1)  // the first reads; the second waits on its loop
        #expect(server.server.parkedConnectionCount == 1)
        first.send(String(repeating: "1", count: 80))
        #expect(first.read { $0.hasSuffix("counted 100") }.hasPrefix("HTTP/1.1 200 OK"))
        second.send(String(repeating: "2", count: 80))
        #expect(second.read { $0.hasSuffix("counted 100") }.hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test func theLoopsHoldAtMostTheBodyBudget() throws {
        let server = try TestServer(limits: .with { $0.bufferedBodyBytes = 1_000 })
        let first = try RawClient(port: server.port)
        first.send(Self.post("/echo", length: 900, String(repeating: "a", count: 800)))
        Thread.sleep(forTimeInterval: 0.2)
        let second = try RawClient(port: server.port)
        second.send(Self.post("/echo", length: 5_000, String(repeating: "b", count: 300)))
        let refused = second.read { $0.contains("\r\n\r\n") }
        #expect(refused.hasPrefix("HTTP/1.1 503"))
        #expect(refused.contains("Retry-After: 1\r\n"))
        // The first goes on, and the budget is given back as bodies leave the loops.
        first.send(String(repeating: "a", count: 100))
        #expect(first.read { $0.hasSuffix(String(repeating: "a", count: 900)) }.hasPrefix("HTTP/1.1 200 OK"))
        let third = try RawClient(port: server.port)
        third.send(Self.post("/echo", length: 600, String(repeating: "c", count: 600)))
        #expect(third.read { $0.hasSuffix(String(repeating: "c", count: 600)) }.hasPrefix("HTTP/1.1 200 OK"))
    }
}
