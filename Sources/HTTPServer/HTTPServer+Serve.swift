import Foundation

extension HTTPServer {
    /// A request a worker answers.
    struct WorkerTask: Sendable {
        var request: HTTPRequest
        /// When the loop began waiting for the body (monotonic seconds): its rate is measured from there, and a client
        /// that asked for `100 Continue` was sent it then. nil: the body (if any) was all here with the head, or the
        /// client waits for 100 Continue (see ``HTTPRequestBody/continuesOnLoop``).
        var bodySince: Double?
        /// The body is streamed and not all here: the worker holds one of ``streamingWorkers`` until the handler returns.
        var streaming = false
    }

    /// Answers requests of one connection on a worker: `first`, then (while no other request waits for a worker, up to
    /// ``requestsPerTurn``) the next ones the client sends at once, as a blocking server would; then hands the
    /// connection back to its loop, or closes it.
    func serve(_ connection: Connection, _ first: WorkerTask) {
        var task = first
        var turns = 1
        while let next = serveOne(connection, task, inlineNext: turns < Self.requestsPerTurn) {
            task = next
            turns += 1
        }
    }

    /// Answers one request on this worker; returns the connection's next request when this worker is to answer it too.
    private func serveOne(_ connection: Connection, _ task: WorkerTask, inlineNext: Bool) -> WorkerTask? {
        let request = task.request
        let start = Date()
        _ = setBusy(connection, true)
        var routed = request
        routed.remoteAddress = connection.peer
        let body = HTTPRequestBody(
            framing: request.framing, expectsContinue: request.expectsContinue && task.bodySince == nil, connection: connection,
            limits: configuration.limits)
        if let since = task.bodySince { body.rateStartedAt = ContinuousClock.now - .seconds(max(0, EventLoop.now() - since)) }
        body.continuesOnLoop = body.needsContinue && Self.bufferedBodyLength(request, connection) == nil
        var response: HTTPResponse
        do {
            defer { if task.streaming { streamingWorkers.subtract(1, ordering: .relaxed) } }
            response = try respondOrAwaitContinue(to: routed, body: body)
        } catch {
            guard body.continuesOnLoop else {
                response = handler.protocolErrorResponse(HTTPProtocolError(500, "The server failed to answer this request."), request: request)
                return finish(connection, request, response, body: body, start: start, inlineNext: inlineNext)
            }
            // It asked for the body: say 100 Continue, read the body on the loop, then call the handler again.
            _ = setBusy(connection, false)
            beginBodyWait(connection, request)
            return nil
        }
        return finish(connection, request, response, body: body, start: start, inlineNext: inlineNext)
    }

    /// Writes a worker's response, then serves the connection on (returning its next request when this worker is to
    /// answer it) or closes it.
    private func finish(
        _ connection: Connection, _ request: HTTPRequest, _ answer: HTTPResponse, body: HTTPRequestBody, start: Date, inlineNext: Bool
    ) -> WorkerTask? {
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
            release(connection)
            return nil
        }
        log(method: request.method, target: request.target, status: response.status.code, bytes: sent, start: start, peer: connection.peer)
        guard keepAlive, setBusy(connection, false) else {
            if body.isComplete { release(connection) } else { closeLingering(connection) }
            return nil
        }
        return serveHeads(connection, headDeadline: nil, inline: inlineNext)
    }

    /// Calls the handler and turns whatever it throws into a response, but lets ``HTTPBodyAfterContinue`` through.
    func respondOrAwaitContinue(to request: HTTPRequest, body: HTTPRequestBody) throws(HTTPBodyAfterContinue) -> HTTPResponse {
        do {
            return try handler.respond(to: request, body: body)
        } catch is HTTPBodyAfterContinue {
            throw HTTPBodyAfterContinue()
        } catch {
            return errorResponse(error, request)
        }
    }

    /// What `answer` gives, with whatever it throws turned into a response.
    func rendered(_ request: HTTPRequest, _ answer: () throws -> HTTPLoopAnswer) -> HTTPLoopAnswer {
        do {
            return try answer()
        } catch {
            return .response(errorResponse(error, request))
        }
    }

    /// The response for an error a handler threw: its own rendering, the protocol's error page, or a 500 that reveals
    /// nothing.
    func errorResponse(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        switch error {
        case let error as HTTPResponseError: return error.response(for: request)
        case let error as HTTPProtocolError: return handler.protocolErrorResponse(error, request: request)
        default:
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
