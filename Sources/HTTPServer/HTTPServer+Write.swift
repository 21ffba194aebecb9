import Foundation

extension HTTPServer {
    /// Writes `response`; returns the body bytes sent. HEAD and 1xx/204/304 responses send no body.
    func write(_ response: HTTPResponse, to connection: Connection, method: String, version: (major: Int, minor: Int), keepAlive: Bool) throws
        -> Int64
    {
        defer { response.releaseResources() }
        let sendsBody = method != "HEAD" && !response.status.forbidsBody
        let isHTTP10 = version.minor == 0
        var head: [UInt8] = []
        head.reserveCapacity(256)
        head.append(contentsOf: "HTTP/1.1 \(response.status.code) \(Self.clean(response.status.reason))\r\n".utf8)
        for field in response.headers {
            let name = field.name.lowercased()
            if name == "content-length" || name == "transfer-encoding" || name == "connection" { continue }
            Self.appendField(field.name, field.value, to: &head)
        }
        if !response.headers.contains("date") { Self.appendField("Date", connection.currentDate(), to: &head) }
        var chunked = false
        var closeAfter = !keepAlive
        if !response.status.forbidsBody {
            if let length = response.knownLength {
                Self.appendField("Content-Length", String(length), to: &head)
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
        head.append(contentsOf: "\r\n".utf8)
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
            try connection.send(head)
            let bodyWriter = HTTPResponseBodyWriter(connection: connection, chunked: chunked, declaredLength: length)
            try writer(bodyWriter)
            try bodyWriter.finish()
            return bodyWriter.bytesWritten
        }
    }

    /// `Name: value\r\n`, with CR and LF in the value replaced so a header can never split the response.
    static func appendField(_ name: String, _ value: String, to head: inout [UInt8]) {
        head.append(contentsOf: name.utf8.filter { $0 > 0x20 && $0 != 0x3A && $0 != 0x7F })
        head.append(contentsOf: ": ".utf8)
        for byte in value.utf8 { head.append(byte == 0x0D || byte == 0x0A || byte == 0 ? 0x20 : byte) }
        head.append(contentsOf: "\r\n".utf8)
    }

    static func clean(_ reason: String) -> String {
        String(reason.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F })
    }
}
