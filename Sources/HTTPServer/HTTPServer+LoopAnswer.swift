import Foundation

extension HTTPServer {
    /// Answers one request on the calling thread. Returns whether it keeps the connection (false when it was closed or
    /// handed to a worker: to run the blocking rest of the handler's work, to finish a write the socket would not take
    /// at once, or to send a body that is a file or a stream).
    func answerOnLoop(_ request: HTTPRequest, bodyLength: Int, _ connection: Connection) -> Bool {
        let start = configuration.accessLog == nil ? Date.distantPast : Date()
        _ = setBusy(connection, true)
        var routed = request
        routed.remoteAddress = connection.peer
        let body = HTTPRequestBody(bytes: bodyLength > 0 ? connection.copyBuffered(bodyLength) : [])
        connection.consume(bodyLength)
        var response: HTTPResponse
        switch rendered(request, { try self.handler.respondOnEventLoop(to: routed, body: body) }) {
        case .response(let answer): response = answer
        case .onWorker(let work):
            handToWorker(connection) {
                var response: HTTPResponse
                do {
                    response = try work()
                } catch {
                    response = self.errorResponse(error, request)
                }
                let keepAlive = self.keepsAlive(request, after: response)
                if !keepAlive { response.headers.set("Connection", "close") }
                self.finishOnWorker(connection, request: request, status: response.status.code, start: start, keepAlive: keepAlive) {
                    try self.write(response, to: $0, method: request.method, version: request.version, keepAlive: keepAlive)
                }
            }
            return false
        }
        let keepAlive = keepsAlive(request, after: response)
        if !keepAlive { response.headers.set("Connection", "close") }
        let status = response.status.code
        let payload = response.body
        guard payload.isInMemory else {
            let finished = response
            handToWorker(connection, force: true) {
                self.finishOnWorker(connection, request: request, status: status, start: start, keepAlive: keepAlive) {
                    try self.write(finished, to: $0, method: request.method, version: request.version, keepAlive: keepAlive)
                }
            }
            return false
        }
        var (bytes, sendsBody, _) = encodeHead(
            response, date: connection.currentDate(), method: request.method, version: request.version, keepAlive: keepAlive)
        var bodyBytes: Int64 = 0
        if sendsBody, case .bytes(let content) = payload {
            bytes.append(contentsOf: content)
            bodyBytes = Int64(content.count)
        }
        let sent: Int
        do {
            sent = try bytes.withUnsafeBytes { try connection.sendNow($0) }
        } catch {
            log(method: request.method, target: request.target, status: status, bytes: 0, start: start, peer: connection.peer)
            release(connection)
            return false
        }
        guard sent == bytes.count else {
            // The socket's buffer is full (a client that does not read): a worker waits for it, within the send timeout.
            let rest = Array(bytes[sent...])
            let sentBody = bodyBytes
            handToWorker(connection, force: true) {
                self.finishOnWorker(connection, request: request, status: status, start: start, keepAlive: keepAlive) {
                    try $0.send(rest)
                    return sentBody
                }
            }
            return false
        }
        log(method: request.method, target: request.target, status: status, bytes: bodyBytes, start: start, peer: connection.peer)
        guard keepAlive, setBusy(connection, false) else {
            release(connection)
            return false
        }
        return true
    }

    /// Finishes on a worker a response the loop could not send at once, then serves the connection on (or closes it).
    func finishOnWorker(
        _ connection: Connection, request: HTTPRequest, status: Int, start: Date, keepAlive: Bool, _ send: (Connection) throws -> Int64
    ) {
        let sent: Int64
        do {
            sent = try send(connection)
        } catch {
            log(method: request.method, target: request.target, status: status, bytes: 0, start: start, peer: connection.peer)
            return release(connection)
        }
        log(method: request.method, target: request.target, status: status, bytes: sent, start: start, peer: connection.peer)
        guard keepAlive, setBusy(connection, false) else { return release(connection) }
        serveHeads(connection, headDeadline: nil)
    }
}

extension HTTPResponse.Body {
    /// Whether the body is bytes in memory (or none), so an event loop can send it whole.
    var isInMemory: Bool {
        switch self {
        case .empty, .bytes: true
        case .file, .stream: false
        }
    }
}
