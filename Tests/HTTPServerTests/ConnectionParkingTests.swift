import Foundation
import HTTPServer
import Testing

/// Quiet connections wait on epoll without a thread (issue 14): idle keep-alive connections and slow heads give their
/// thread back at once, come back when bytes arrive, and still time out and shut down as before.
@Suite(.serialized)
struct ConnectionParkingTests {
    /// The threads of this process (the server runs in it).
    static func threadCount() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? -1 }

    static func waitFor(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    @Test func twoThousandIdleConnectionsCostNoThreadEach() throws {
        var limits = HTTPLimits()
        limits.maximumConnectionsPerClient = 0
        let server = try TestServer(limits: limits)
        let before = Self.threadCount()
        var clients: [RawClient] = []
        for _ in 0..<2_000 {
            let client = try RawClient(port: server.port)
            client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            clients.append(client)
        }
        for client in clients { client.read { $0.hasSuffix("{\"ok\":true}") } }
        #expect(Self.waitFor { server.server.parkedConnectionCount == 2_000 })
        #expect(Self.waitFor { Self.threadCount() - before < 50 }, "threads: \(Self.threadCount()) after, \(before) before")
        // Another client is served at once, and a parked connection comes back on its next request.
        let other = try RawClient(port: server.port)
        other.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(other.read { $0.hasSuffix("{\"ok\":true}") }.hasPrefix("HTTP/1.1 200 OK"))
        for client in clients.prefix(20) {
            client.send("GET /items/again HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(client.read { $0.hasSuffix("item again") }.contains("item again"))
        }
        #expect(server.server.connectionCount == 2_001)
    }

    @Test func aParkedIdleConnectionClosesAtTheKeepAliveTimeout() throws {
        var limits = HTTPLimits()
        limits.keepAliveTimeout = 1
        let server = try TestServer(limits: limits)
        let client = try RawClient(port: server.port)
        client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        client.read { $0.hasSuffix("{\"ok\":true}") }
        #expect(Self.waitFor(2) { server.server.parkedConnectionCount == 1 })
        #expect(client.closesWithin(3))
        #expect(client.responseCount == 1)  // closed quietly, no 408 for an idle connection
        #expect(Self.waitFor(2) { server.server.connectionCount == 0 })
    }

    @Test func aParkedSlowHeadStillGets408() throws {
        var limits = HTTPLimits()
        limits.headerTimeout = 1.5
        let server = try TestServer(limits: limits)
        let client = try RawClient(port: server.port)
        client.send("GET /ping HTTP/1.1\r\nHo")
        #expect(Self.waitFor(2) { server.server.parkedConnectionCount == 1 })
        client.send("st: x\r\n")  // a little more, then silence: it parks again with the same deadline
        #expect(client.closesWithin(4))
        #expect(client.text.hasPrefix("HTTP/1.1 408"))
    }

    @Test func aHeadSplitAcrossParkingIsOneRequest() throws {
        let limits = HTTPLimits()
        let server = try TestServer(limits: limits)
        let client = try RawClient(port: server.port)
        for piece in ["GET /items/", "split HTTP/1.1\r\n", "Host: x\r\n", "\r\n"] {
            client.send(piece)
            Thread.sleep(forTimeInterval: 0.2)  // each pause parks it
        }
        #expect(client.read { $0.hasSuffix("item split") }.hasPrefix("HTTP/1.1 200 OK"))
        #expect(client.responseCount == 1)
    }

    @Test func shutdownClosesParkedConnectionsPromptly() throws {
        let limits = HTTPLimits()
        let server = try TestServer(limits: limits)
        let clients = try (0..<50).map { _ in try RawClient(port: server.port) }
        for client in clients { client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n") }
        for client in clients { client.read { $0.hasSuffix("{\"ok\":true}") } }
        #expect(Self.waitFor { server.server.parkedConnectionCount == 50 })
        let start = Date()
        server.server.shutdown()
        #expect(Date().timeIntervalSince(start) < 3)
        #expect(clients.allSatisfy { $0.closesWithin(2) })
    }
}
