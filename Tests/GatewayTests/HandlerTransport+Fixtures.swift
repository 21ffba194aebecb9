import CurlHTTP
import Foundation
import Glibc
import HTTPServer
import S3Client

/// An ``HTTPTransport`` that hands every request to an ``HTTPHandler`` in this process (the embedded store),
/// with no sockets: the S3 client's signed requests and the presigned URLs a client would use reach the
/// handler exactly as the server would parse them.
struct HandlerTransport: HTTPTransport {
    struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }

    let handler: any HTTPHandler

    func perform(_ call: HTTPCall, progress: ((Int64, Int64) -> Void)?) throws -> HTTPCallResponse {
        guard let schemeEnd = call.url.range(of: "://") else { throw Unsupported(description: "not an absolute URL: \(call.url)") }
        let rest = call.url[schemeEnd.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let target = slash == rest.endIndex ? "/" : String(rest[slash...])
        var headers = call.headers
        if headers["host"] == nil { headers.add("Host", String(rest[..<slash])) }
        let bytes = try Self.bytes(of: call.body)
        if !bytes.isEmpty, headers["content-length"] == nil { headers.add("Content-Length", String(bytes.count)) }
        let request = HTTPRequest(method: call.method, target: target, headers: headers, framing: bytes.isEmpty ? .none : .length(Int64(bytes.count)))
        let response = try handler.respond(to: request, body: HTTPRequestBody(bytes: bytes))
        progress?(Int64(bytes.count), 0)
        var body = try Self.bytes(of: response.body)
        var responseHeaders = response.headers
        if responseHeaders["content-length"] == nil { responseHeaders.add("Content-Length", String(body.count)) }  // as the server adds it
        if call.method == "HEAD" { body = [] }
        switch call.sink {
        case .memory(let limit):
            guard body.count <= limit else { throw Unsupported(description: "response over \(limit) bytes") }
        case .file(let fd):
            _ = body.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            body = []
        case .stream(let consumer):
            if (200..<300).contains(response.status.code) {
                _ = body.withUnsafeBytes { consumer($0) }
                body = []
            }
        }
        return HTTPCallResponse(status: response.status.code, headers: responseHeaders, body: body)
    }

    static func bytes(of body: HTTPCall.Body) throws -> [UInt8] {
        switch body {
        case .none: return []
        case .bytes(let bytes): return bytes
        case .file(let fd, let offset, let length): return read(fd, offset: offset, length: length)
        }
    }

    static func bytes(of body: HTTPResponse.Body) throws -> [UInt8] {
        switch body {
        case .empty: return []
        case .bytes(let bytes): return bytes
        case .file(let fd, let offset, let length):
            defer { close(fd) }
            return read(fd, offset: offset, length: length)
        case .stream(let length, let write):
            let writer = HTTPResponseBodyWriter(collectingUpTo: length)
            try write(writer)
            try writer.finish()
            return writer.collected
        }
    }

    static func read(_ fd: Int32, offset: Int64, length: Int64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(length))
        let count = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
        return Array(out.prefix(max(0, count)))
    }
}
