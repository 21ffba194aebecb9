import Glibc

/// A response: status, headers and a body that is bytes, a file region or a stream.
///
/// The server adds `Content-Length` or `Transfer-Encoding: chunked`, `Date`, and `Connection: close`
/// when the connection ends; HEAD responses keep their length and send no body.
public struct HTTPResponse: Sendable {
    /// Where the body comes from.
    public enum Body: Sendable {
        case empty
        case bytes([UInt8])
        /// `length` bytes of an open file from `offset`, sent with sendfile(2); the server closes the descriptor.
        case file(descriptor: Int32, offset: Int64, length: Int64)
        /// Written by `writer` as the response goes out; chunked unless `length` is given.
        case stream(length: Int64?, writer: @Sendable (HTTPResponseBodyWriter) throws -> Void)
    }

    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: Body
    /// Told, once the body is written, whether all of it went to the client (true) or the connection failed first;
    /// not called for a response that sends no body (HEAD, 304).
    public var onSent: (@Sendable (_ complete: Bool) -> Void)? = nil

    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 body with its Content-Type.
    public init(status: HTTPStatus, contentType: String, body: String, headers: HTTPHeaders = HTTPHeaders()) {
        var headers = headers
        headers.set("Content-Type", contentType)
        self.init(status: status, headers: headers, body: .bytes(Array(body.utf8)))
    }

    /// A plain-text response.
    public static func text(_ status: HTTPStatus, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: text)
    }

    /// The body's length when known up front.
    var knownLength: Int64? {
        switch body {
        case .empty: 0
        case .bytes(let bytes): Int64(bytes.count)
        case .file(_, _, let length): length
        case .stream(let length, _): length
        }
    }

    /// Closes a file body's descriptor (when the response is dropped unsent).
    func releaseResources() {
        if case .file(let descriptor, _, _) = body { _ = Glibc.close(descriptor) }
    }
}

/// An error that renders its own response: the gateway's JSON errors and the store's S3 XML ones conform.
public protocol HTTPResponseError: Error {
    /// The response to send for this error.
    func response(for request: HTTPRequest?) -> HTTPResponse
}

/// Writes a streamed response body. The response's head goes out with the first bytes (or at ``finish()``), so a
/// stream that fails before writing anything can still be answered with an error instead of a head that promised
/// bytes that never come.
public final class HTTPResponseBodyWriter {
    let connection: Connection?
    let chunked: Bool
    let declaredLength: Int64?
    /// The head, until it is sent.
    var pendingHead: [UInt8]?
    public private(set) var bytesWritten: Int64 = 0
    /// What was written, when there is no connection (a handler called in-process).
    public private(set) var collected: [UInt8] = []

    init(connection: Connection, chunked: Bool, declaredLength: Int64?, head: [UInt8]) {
        self.connection = connection
        self.chunked = chunked
        self.declaredLength = declaredLength
        self.pendingHead = head
    }

    /// A writer that keeps the body in ``collected``, for handlers called in-process (tests, internal calls).
    public init(collectingUpTo declaredLength: Int64?) {
        self.connection = nil
        self.chunked = false
        self.declaredLength = declaredLength
    }

    /// Whether the head has gone out (always true for a collecting writer once anything was written).
    public var hasStarted: Bool { connection == nil ? bytesWritten > 0 : pendingHead == nil }

    /// Sends the head, if it is still waiting, before `more`.
    func sendHead(before more: UnsafeRawBufferPointer? = nil) throws {
        guard let connection, var head = pendingHead else {
            if let more, let connection { try connection.send(more) }
            return
        }
        pendingHead = nil
        if let more, more.count <= 16 * 1024 {
            head.append(contentsOf: more)
            try connection.send(head)
        } else {
            try connection.send(head)
            if let more { try connection.send(more) }
        }
    }

    /// Writes `bytes` (a chunk when the body is chunked).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        if let declaredLength, bytesWritten + Int64(bytes.count) > declaredLength {
            throw HTTPProtocolError(500, "The response body is longer than its declared length.")
        }
        guard connection != nil else {
            collected.append(contentsOf: bytes)
            bytesWritten += Int64(bytes.count)
            return
        }
        if chunked {
            try Array("\(String(bytes.count, radix: 16))\r\n".utf8).withUnsafeBytes { try sendHead(before: $0) }
            try connection?.send(bytes)
            try connection?.send(Array("\r\n".utf8))
        } else {
            try sendHead(before: bytes)
        }
        bytesWritten += Int64(bytes.count)
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Ends the body; throws when fewer bytes than declared were written.
    public func finish() throws {
        if let declaredLength, bytesWritten != declaredLength, !hasStarted {
            throw HTTPProtocolError(500, "The response body is shorter than its declared length.")  // nothing sent: answer the error
        }
        try sendHead()
        if chunked { try connection?.send(Array("0\r\n\r\n".utf8)) }
        if let declaredLength, bytesWritten != declaredLength {
            throw HTTPProtocolError(500, "The response body is shorter than its declared length.")
        }
    }
}
