import ArgumentParser
import DropgateClient
import Foundation
import Glibc
import HTTPServer

/// `dropgate debug-server`: the bare HTTP server with a few routes, for the live tests and the HTTP benchmark.
public struct DebugServerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "debug-server", abstract: "Serve test routes (/ping, /upload, /download) on the bare HTTP server.", shouldDisplay: false)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port (0 picks a free one; the first line printed says which).")
    var port = 0

    @Option(help: "Folder for uploaded files (default: a temporary folder).")
    var data: String?

    @Option(help: "Seconds a request head may take.")
    var headerTimeout: Double = 10

    public init() {}

    public func run() throws {
        let folder = data ?? NSTemporaryDirectory() + "dropgate-debug-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var router = Router()
        let ping = Array(#"{"status":"ok","service":"dropgate","version":1,"message":"pong","padding":"abcdefghijklmnopqrst"}"#.utf8)
        router.add("GET", "/ping", onEventLoop: true) { _, _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: .bytes(ping))
        }
        router.add("PUT", "/upload/{name}") { request, body in
            try body.requireReady()  // before the file: its body may come after 100 Continue, for a second call
            let path = folder + "/" + (request.pathParameters["name"] ?? "upload").replacingOccurrences(of: "/", with: "_")
            let written = try DebugServerCommand.stream(body, to: path)
            return HTTPResponse(status: 200, contentType: "application/json", body: "{\"bytes\":\(written)}")
        }
        router.add("GET", "/download/{name}") { request, _ in
            let path = folder + "/" + (request.pathParameters["name"] ?? "").replacingOccurrences(of: "/", with: "_")
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return HTTPResponse.text(404, "no such file\n") }
            var info = stat()
            fstat(fd, &info)
            return HTTPResponse(status: 200, body: .file(descriptor: fd, offset: 0, length: Int64(info.st_size)))
        }
        var limits = HTTPLimits()
        limits.headerTimeout = headerTimeout
        let server = HTTPServer(configuration: .init(host: host, port: port, limits: limits), handler: router)
        TerminationSignal.block()
        let bound = try server.start()
        FileHandle.standardOutput.write(Data("listening on http://\(host):\(bound)\n".utf8))
        TerminationSignal.wait()
        server.shutdown()
    }

    /// Streams a request body into a file through a 1 MiB buffer; returns the bytes written.
    static func stream(_ body: HTTPRequestBody, to path: String) throws -> Int64 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SocketError("open \(path)") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: Int64 = 0
        while true {
            let count = try buffer.withUnsafeMutableBytes { try body.read(into: $0) }
            if count == 0 { break }
            try buffer.withUnsafeBytes { try FileWrite.all(UnsafeRawBufferPointer(rebasing: $0[0..<count]), to: fd) }
            total += Int64(count)
        }
        return total
    }
}
