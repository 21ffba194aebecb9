import Foundation

extension HTTPServer {
    /// Answers on a worker one request whose head was read (and whose body is ready: see ``bodyIsReady(_:_:)``),
    /// then serves the connection on without waiting (``serveHeads(_:headDeadline:)``), or closes it.
    ///
    /// - Parameter bodySince: when the loop began waiting for the body (monotonic seconds): its rate is measured from
    ///   there, and a client that asked for `100 Continue` was sent it then.
    ///   - streaming: the body is streamed and not all here: this worker holds one of ``streamingWorkers`` until the
    ///     handler returns.
    func serve(_ connection: Connection, pending request: HTTPRequest, bodySince: Double?, streaming: Bool) {
        let limits = configuration.limits
        let start = Date()
        _ = setBusy(connection, true)
        var routed = request
        routed.remoteAddress = connection.peer
        let body = HTTPRequestBody(
            framing: request.framing, expectsContinue: request.expectsContinue && bodySince == nil, connection: connection, limits: limits)
        if let bodySince { body.rateStartedAt = ContinuousClock.now - .seconds(max(0, EventLoop.now() - bodySince)) }
        body.continuesOnLoop = body.needsContinue && Self.bufferedBodyLength(request, connection) == nil
        var response: HTTPResponse
        do {
            defer { if streaming { streamingWorkers.subtract(1, ordering: .relaxed) } }
            response = try respondOrMustBlock(to: routed, body: body)
        } catch {
            guard body.continuesOnLoop else {
                response = handler.protocolErrorResponse(HTTPProtocolError(500, "The server failed to answer this request."), request: request)
                return finish(connection, request, response, body: body, start: start)
            }
            // It asked for the body: say 100 Continue, read the body on the loop, then call the handler again.
            _ = setBusy(connection, false)
            return beginBodyWait(connection, request)
        }
        finish(connection, request, response, body: body, start: start)
    }

    /// Writes a worker's response, then serves the connection on or closes it.
    private func finish(_ connection: Connection, _ request: HTTPRequest, _ answer: HTTPResponse, body: HTTPRequestBody, start: Date) {
        var response = answer
        // After a failed body read the rest of the stream is not a request: answer once, then close.
        var keepAlive = keepsAlive(request, after: response) && !body.hasFailed
        if keepAlive && !body.isComplete {
            // Unread body: read what is already here, else close after answering (waiting for more would hold this thread).
            keepAlive = body.drainBuffered()
        }
        if !keepAlive { response.headers.set("Connection", "close") }
        let sent: Int64
        do {
            sent = try write(response, to: connection, method: request.method, version: request.version, keepAlive: keepAlive)
        } catch {
            log(method: request.method, target: request.target, status: response.status.code, bytes: 0, start: start, peer: connection.peer)
            return release(connection)
        }
        log(method: request.method, target: request.target, status: response.status.code, bytes: sent, start: start, peer: connection.peer)
        guard keepAlive, setBusy(connection, false) else {
            return body.isComplete ? release(connection) : closeLingering(connection)
        }
        serveHeads(connection, headDeadline: nil)
    }

    /// Calls the handler and turns whatever it throws into a response, but lets ``HTTPMustBlock`` through.
    func respondOrMustBlock(to request: HTTPRequest, body: HTTPRequestBody) throws(HTTPMustBlock) -> HTTPResponse {
        do {
            return try handler.respond(to: request, body: body)
        } catch is HTTPMustBlock {
            throw HTTPMustBlock()
        } catch let error as HTTPResponseError {
            return error.response(for: request)
        } catch let error as HTTPProtocolError {
            return handler.protocolErrorResponse(error, request: request)
        } catch {
            configuration.onUnexpectedError?(error, request)
            return handler.protocolErrorResponse(HTTPProtocolError(500, "The server failed to answer this request."), request: request)
        }
    }

    /// The head at the start of the connection's buffer, consumed; nil while it is incomplete.
    ///
    /// - Throws: ``HTTPProtocolError`` for a head the parser refuses.
    func parseHead(_ connection: Connection) throws -> HTTPRequest? {
        let limits = configuration.limits
        return try connection.withBuffered { bytes -> (consumed: Int, value: HTTPRequest?) in
            switch try HTTPRequestParser.parse(bytes, limits: limits) {
            case .incomplete: (0, nil)
            case .complete(let request, let consumed): (consumed, request)
            }
        }
    }

    /// Whether the connection may serve another request after `response` to `request` (the body aside).
    func keepsAlive(_ request: HTTPRequest, after response: HTTPResponse) -> Bool {
        request.keepAlive && !isStopping && response.headers["connection"]?.lowercased() != "close"
    }

    /// Hands a quiet connection to its event loop (see ``loopHandlers``).
    func park(_ connection: Connection, _ waiting: EventLoop.Waiting) {
        loop(of: connection).park(connection, waiting)
    }

    func log(method: String, target: String, status: Int, bytes: Int64, start: Date, peer: String) {
        guard let accessLog = configuration.accessLog else { return }
        accessLog(
            AccessLogEntry(
                method: method, target: AccessLogEntry.redact(target, parameters: redacted), status: status, bytesSent: bytes,
                durationSeconds: Date().timeIntervalSince(start), remoteAddress: peer))
    }
}
