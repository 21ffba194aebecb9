import Foundation
import Synchronization
import Testing

@testable import HTTPServer

/// Issue 27, item 2: threads are bounded by the limits, not by clients. A fixed pool runs the handlers that may block,
/// from a queue taken in turn by client address; bodies and quiet connections wait on the loops without a thread.
@Suite(.serialized)
struct WorkerPoolTests {
    @Test func theQueueTakesClientsInTurnNewcomersFirst() {
        var queue = FairQueue()
        let order = Mutex([String]())
        for name in ["a1", "a2", "a3"] { queue.append({ order.withLock { $0.append(name) } }, client: "a") }
        queue.append({ order.withLock { $0.append("b1") } }, client: "b")
        queue.append({ order.withLock { $0.append("c1") } }, client: "c")
        queue.append({ order.withLock { $0.append("b2") } }, client: "b")
        #expect(queue.count == 6)
        for _ in 0..<3 { queue.take()?() }
        // A client that arrives while the others are backlogged goes before their next turns.
        queue.append({ order.withLock { $0.append("d1") } }, client: "d")
        while let job = queue.take() { job() }
        #expect(order.withLock { $0 } == ["a1", "b1", "c1", "d1", "a2", "b2", "a3"])
        #expect(queue.count == 0 && queue.queued(by: "a") == 0)
    }

    @Test func thePoolNeverStartsMoreThreadsThanItsLimitAndRefusesPastItsQueue() {
        let pool = WorkerPool(threads: 3, queueLimit: 8)  // 4 a client (the least share)
        let release = DispatchSemaphore(value: 0)
        let ran = Atomic<Int>(0)
        let job: WorkerPool.Job = {
            release.wait()
            ran.add(1, ordering: .relaxed)
        }
        // 3 run at once, then 4 more wait for the same client: the rest of that client's are refused.
        for _ in 0..<3 { #expect(pool.submit(job, client: "flood")) }
        #expect(ConnectionParkingTests.waitFor { pool.queuedCount == 0 })
        let accepted = (0..<20).map { _ in pool.submit(job, client: "flood") }
        #expect(accepted.filter { $0 }.count == 4)
        #expect(pool.threadCount == 3)
        // Other addresses queue up to the limit; past it, only an address with nothing waiting gets in.
        #expect(pool.submit(job, client: "b") && pool.submit(job, client: "b") && pool.submit(job, client: "b") && pool.submit(job, client: "b"))
        #expect(!pool.submit(job, client: "b"))
        #expect(pool.submit(job, client: "newcomer"))
        #expect(!pool.submit(job, client: "newcomer"))
        #expect(pool.submit(job, client: "newcomer", force: true))
        #expect(pool.threadCount == 3)
        for _ in 0..<13 { release.signal() }
        #expect(ConnectionParkingTests.waitFor { ran.load(ordering: .relaxed) == 13 })
        #expect(pool.queuedCount == 0)
    }

    @Test func slowBodiesWaitOnTheLoopsWithoutAWorker() throws {
        var limits = HTTPLimits()
        limits.maximumConnectionsPerClient = 0
        let server = try TestServer(limits: limits)
        var clients: [RawClient] = []
        for _ in 0..<300 {
            let client = try RawClient(port: server.port)
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
            clients.append(client)
        }
        #expect(ConnectionParkingTests.waitFor { server.server.parkedConnectionCount == 300 })
        #expect(server.server.workerThreadCount == 0)
        for client in clients.prefix(10) { client.send("cdefghij") }
        for client in clients.prefix(10) { #expect(client.read { $0.hasSuffix("abcdefghij") }.hasPrefix("HTTP/1.1 200 OK")) }
        #expect(server.server.workerThreadCount == 0)  // answered on the loop, once whole
        // A chunked body waits on the loop too, until its last chunk (then a worker decodes it).
        let chunked = try RawClient(port: server.port)
        chunked.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        #expect(ConnectionParkingTests.waitFor { server.server.parkedConnectionCount == 301 })
        chunked.send("0\r\n\r\n")
        #expect(chunked.read { $0.hasSuffix("abc") }.hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test func aFullQueueIsAnswered503WithRetryAfter() throws {
        let server = try TestServer(
            limits: .with {
                $0.workers = 1
                $0.queuedRequests = 0
            })
        // One from 127.0.0.2 runs and one waits (an address with nothing waiting always gets a place); a third is refused.
        let clients = try (0..<3).map { _ in try RawClient(port: server.port, source: "127.0.0.2") }
        for client in clients {
            client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.05)
        }
        let refused = clients[2].read { $0.contains("\r\n\r\n") }
        #expect(refused.hasPrefix("HTTP/1.1 503"))
        #expect(refused.contains("Retry-After: 1\r\n"))
        #expect(clients[2].closesWithin(3))
        for client in clients.prefix(2) { #expect(client.read(timeout: 5) { $0.hasSuffix("slow done") }.hasPrefix("HTTP/1.1 200 OK")) }
        #expect(server.server.workerThreadCount == 1)
    }
}
