import Foundation
import Glibc
import HTTPServer

/// A bare TCP client, so tests control every byte (pipelining, slow sends, half-sent bodies).
final class RawClient {
    let fd: Int32
    var received: [UInt8] = []

    /// - Parameter source: the loopback address to connect from (`127.0.0.2`), for per-client tests.
    init(port: Int, source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw SocketError("bind") }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else { throw SocketError("connect") }
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until `predicate` holds for everything received, the peer closes, or `timeout` passes.
    @discardableResult
    func read(timeout: Double = 5, until predicate: (String) -> Bool = { _ in false }) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while !predicate(text), receiveOnce(before: deadline) {}
        return text
    }

    /// Waits for bytes until `deadline` and appends what came; false when nothing more will (timeout or close).
    private func receiveOnce(before deadline: Date) -> Bool {
        guard deadline.timeIntervalSinceNow > 0 else { return false }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else {
            isClosed = true
            return false
        }
        received.append(contentsOf: chunk[0..<count])
        return true
    }

    private(set) var isClosed = false

    /// Reads until at least `count` bytes were received in all, the peer closes, or `timeout` passes (for big bodies:
    /// no text is made while reading).
    func readBytes(_ count: Int, timeout: Double = 10) {
        let deadline = Date().addingTimeInterval(timeout)
        while received.count < count, receiveOnce(before: deadline) {}
    }

    var text: String { String(decoding: received, as: UTF8.self) }

    /// Whether the server closed the connection within `timeout` seconds.
    func closesWithin(_ timeout: Double) -> Bool {
        read(timeout: timeout)
        return isClosed
    }

    /// The number of complete responses (status lines) received.
    var responseCount: Int { text.components(separatedBy: "HTTP/1.1 ").count - 1 }
}

/// A server on a free port with the routes the tests use. Every route but `/slow` never blocks, so it is answered on
/// the event loop when its body is all there (the live tests cover both paths).
final class TestServer {
    let server: HTTPServer
    let port: Int
    let log = LogCollector()

    init(limits: HTTPLimits = HTTPLimits(), configure: (inout Router) -> Void = { _ in }) throws {
        var router = Router()
        router.redactedQueryParameters = ["X-Amz-Signature", "X-Amz-Credential"]
        router.add("GET", "/ping", onEventLoop: true) { _, _ in HTTPResponse(status: 200, contentType: "application/json", body: "{\"ok\":true}") }
        router.add("POST", "/echo", onEventLoop: true) { _, body in
            let bytes = try body.readAll(limit: 1 << 20)
            var response = HTTPResponse(status: 200, headers: HTTPHeaders([("X-Trailer-Count", String(body.trailers.count))]), body: .bytes(bytes))
            if let checksum = body.trailers["x-amz-checksum-crc32"] { response.headers.set("X-Checksum", checksum) }
            return response
        }
        router.add("PUT", "/deny", onEventLoop: true) { _, _ in HTTPResponse.text(403, "denied\n") }
        router.add("GET", "/items/{id}", onEventLoop: true) { request, _ in HTTPResponse.text(200, "item \(request.pathParameters["id"] ?? "")") }
        router.add("GET", "/files/{path...}", onEventLoop: true) { request, _ in HTTPResponse.text(200, request.pathParameters["path"] ?? "") }
        router.add("GET", "/crash", onEventLoop: true) { _, _ in throw CocoaError(.fileReadCorruptFile, userInfo: ["secret": "hunter2"]) }
        router.add("GET", "/teapot", onEventLoop: true) { _, _ in throw Teapot() }
        router.add("GET", "/stream", onEventLoop: true) { _, _ in
            HTTPResponse(
                status: 200,
                body: .stream(length: nil) { writer in
                    for index in 0..<3 { try writer.write(Array("part\(index);".utf8)) }
                })
        }
        router.add("GET", "/slow") { _, _ in
            Thread.sleep(forTimeInterval: 0.5)
            return HTTPResponse.text(200, "slow done")
        }
        router.add("PUT", "/count") { _, body in
            var total = 0
            while let chunk = try body.readChunk() { total += chunk.count }
            return HTTPResponse.text(200, "counted \(total)")
        }
        configure(&router)
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0, limits: limits)
        let log = self.log
        configuration.accessLog = { log.append($0) }
        server = HTTPServer(configuration: configuration, handler: router)
        port = try server.start()
    }

    deinit { server.shutdown() }
}

/// An error that renders itself.
struct Teapot: HTTPResponseError {
    func response(for request: HTTPRequest?) -> HTTPResponse { HTTPResponse.text(418, "I'm a teapot") }
}

/// Collects access-log entries across threads.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [AccessLogEntry] = []
    func append(_ entry: AccessLogEntry) { lock.withLock { storage.append(entry) } }
    var entries: [AccessLogEntry] { lock.withLock { storage } }
}

extension HTTPLimits {
    /// The default limits with some changed, for a test's server.
    static func with(_ change: (inout HTTPLimits) -> Void) -> HTTPLimits {
        var limits = HTTPLimits()
        change(&limits)
        return limits
    }
}
