import Foundation
import HTTPWire

extension HTTPServer {
    /// The head of `response` as sent, and how its body goes: whether one is sent at all, and whether chunked.
    func encodeHead(_ response: HTTPResponse, date: String, method: String, version: (major: Int, minor: Int), keepAlive: Bool)
        -> (head: [UInt8], sendsBody: Bool, chunked: Bool)
    {
        let sendsBody = method != "HEAD" && !response.status.forbidsBody
        let isHTTP10 = version.minor == 0
        var head: [UInt8] = []
        head.reserveCapacity(256 + (sendsBody ? Int(min(response.knownLength ?? 0, 64 * 1024)) : 0))
        head.write(literal: "HTTP/1.1 ")
        head.write(decimal: Int64(response.status.code))
        head.append(0x20)
        response.status.reason.withUTF8Bytes { bytes in
            if bytes.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) {
                head.append(contentsOf: bytes)
            } else {
                head.append(contentsOf: bytes.lazy.filter { $0 >= 0x20 && $0 != 0x7F })
            }
        }
        head.write(literal: "\r\n")
        for field in response.headers {
            if Self.isFraming(field.name) { continue }
            Self.appendField(field.name, field.value, to: &head)
        }
        if !response.headers.contains("date") { Self.appendField("Date", date, to: &head) }
        var chunked = false
        var closeAfter = !keepAlive
        if !response.status.forbidsBody {
            if let length = response.knownLength {
                head.write(literal: "Content-Length: ")
                head.write(decimal: length)
                head.write(literal: "\r\n")
            } else if isHTTP10 {
                closeAfter = true  // HTTP/1.0 has no chunking: the end of the body is the end of the connection
            } else {
                chunked = sendsBody
                if sendsBody { Self.appendField("Transfer-Encoding", "chunked", to: &head) }
            }
        }
        if closeAfter {
            Self.appendField("Connection", "close", to: &head)
        } else if isHTTP10 {
            Self.appendField("Connection", "keep-alive", to: &head)
        }
        head.write(literal: "\r\n")
        return (head, sendsBody, chunked)
    }

    /// Writes `response`; returns the body bytes sent. HEAD and 1xx/204/304 responses send no body. A response that
    /// asks (``HTTPResponse/onSent``) is told whether its whole body went.
    func write(_ response: HTTPResponse, to connection: Connection, method: String, version: (major: Int, minor: Int), keepAlive: Bool) throws
        -> Int64
    {
        guard let onSent = response.onSent else {
            return try writeBody(response, to: connection, method: method, version: version, keepAlive: keepAlive)
        }
        do {
            let sent = try writeBody(response, to: connection, method: method, version: version, keepAlive: keepAlive)
            if sent > 0 || response.knownLength == 0 { onSent(true) }
            return sent
        } catch {
            onSent(false)
            throw error
        }
    }

    func writeBody(_ response: HTTPResponse, to connection: Connection, method: String, version: (major: Int, minor: Int), keepAlive: Bool)
        throws -> Int64
    {
        defer { response.releaseResources() }
        var (head, sendsBody, chunked) = encodeHead(response, date: connection.currentDate(), method: method, version: version, keepAlive: keepAlive)
        guard sendsBody else {
            try connection.send(head)
            return 0
        }
        switch response.body {
        case .empty:
            try connection.send(head)
            return 0
        case .bytes(let bytes):
            head.append(contentsOf: bytes)
            try connection.send(head)
            return Int64(bytes.count)
        case .file(let descriptor, let offset, let length):
            try connection.send(head)
            try connection.sendFile(descriptor, offset: offset, length: length)
            return length
        case .stream(let length, let writer):
            let bodyWriter = HTTPResponseBodyWriter(connection: connection, chunked: chunked, declaredLength: length, head: head)
            do {
                try writer(bodyWriter)
                try bodyWriter.finish()
            } catch  where !bodyWriter.hasStarted {
                // Nothing is sent yet: the failure gets an answer of its own, never a head promising bytes that do not come.
                let failure = (error as? any HTTPResponseError)?.response(for: nil) ?? HTTPResponse(status: 502)
                return try writeBody(failure, to: connection, method: method, version: version, keepAlive: keepAlive)
            }
            return bodyWriter.bytesWritten
        }
    }

    /// Whether `name` is a header the server writes itself (Content-Length, Transfer-Encoding, Connection), compared
    /// without case and without making a lowercased copy.
    static func isFraming(_ name: String) -> Bool {
        switch name.utf8.count {
        case 10: name.asciiCaseInsensitiveEquals("connection")
        case 14: name.asciiCaseInsensitiveEquals("content-length")
        case 17: name.asciiCaseInsensitiveEquals("transfer-encoding")
        default: false
        }
    }

    /// `Name: value\r\n`, with CR and LF in the value replaced so a header can never split the response.
    static func appendField(_ name: String, _ value: String, to head: inout [UInt8]) {
        // Names and values are almost always clean: then they are copied whole.
        name.withUTF8Bytes { bytes in
            if bytes.allSatisfy({ $0 > 0x20 && $0 != 0x3A && $0 != 0x7F }) {
                head.append(contentsOf: bytes)
            } else {
                for byte in bytes where byte > 0x20 && byte != 0x3A && byte != 0x7F { head.append(byte) }
            }
        }
        head.append(0x3A)
        head.append(0x20)
        value.withUTF8Bytes { bytes in
            if bytes.allSatisfy({ $0 != 0x0D && $0 != 0x0A && $0 != 0 }) {
                head.append(contentsOf: bytes)
            } else {
                for byte in bytes { head.append(byte == 0x0D || byte == 0x0A || byte == 0 ? 0x20 : byte) }
            }
        }
        head.append(0x0D)
        head.append(0x0A)
    }

}
