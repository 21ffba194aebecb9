import Foundation

extension HTTPServer {
    /// What waiting for a request head gave.
    enum HeadOutcome {
        case request(HTTPRequest)
        /// The connection ended quietly (closed by the peer, idle past the keep-alive timeout, woken by shutdown).
        case closed
        /// Nothing arrived for `limits.parkAfter`: wait on epoll until the monotonic `until`, keeping the head's deadline.
        case park(until: Double, headDeadline: Date?)
    }

    /// Serves one connection until it closes or parks: read a head, answer it, repeat while kept alive.
    ///
    /// - Parameters:
    ///   - headDeadline: when the head being read must be whole: the first head's runs from the accept, and a parked
    ///     connection keeps the one it had.
    ///   - pending: a head an event loop already read, to answer first.
    func serve(_ connection: Connection, headDeadline: Date? = nil, pending: HTTPRequest? = nil) {
        var parked = false
        defer { if !parked { release(connection) } }
        let limits = configuration.limits
        var headDeadline = headDeadline
        var pending = pending
        while true {
            let request: HTTPRequest
            do {
                if let head = pending {
                    pending = nil
                    request = head
                } else {
                    switch try readHead(connection, deadline: headDeadline) {
                    case .request(let head): request = head
                    case .closed: return
                    case .park(let until, let deadline):
                        parked = true
                        park(connection, EventLoop.Waiting(deadline: until, headDeadline: deadline))
                        return
                    }
                }
            } catch let error as HTTPProtocolError {
                refuse(connection, error)
                return
            } catch {
                return
            }
            headDeadline = nil
            let start = Date()
            _ = setBusy(connection, true)
            var routed = request
            routed.remoteAddress = connection.peer
            let body = HTTPRequestBody(framing: request.framing, expectsContinue: request.expectsContinue, connection: connection, limits: limits)
            var response = respond(to: routed, body: body)
            // After a failed body read the rest of the stream is not a request: answer once, then close.
            var keepAlive = keepsAlive(request, after: response) && !body.hasFailed
            if keepAlive && !body.isComplete {
                // Unread body: drain a little to keep the connection, else close it after answering.
                let small = body.contentLength.map { $0 - body.bytesRead <= limits.maximumDrainBytes } ?? true
                keepAlive = small && body.drain(limit: limits.maximumDrainBytes)
            }
            if !keepAlive { response.headers.set("Connection", "close") }
            let sent: Int64
            do {
                sent = try write(response, to: connection, method: request.method, version: request.version, keepAlive: keepAlive)
            } catch {
                log(method: request.method, target: request.target, status: response.status.code, bytes: 0, start: start, peer: connection.peer)
                return
            }
            log(method: request.method, target: request.target, status: response.status.code, bytes: sent, start: start, peer: connection.peer)
            guard keepAlive, setBusy(connection, false) else {
                if !body.isComplete { lingeringClose(connection) }
                return
            }
        }
    }

    /// Calls the handler and turns whatever it throws into a response (``HTTPMustBlock``, which only a handler on
    /// an event loop may throw, as a 500).
    func respond(to request: HTTPRequest, body: HTTPRequestBody) -> HTTPResponse {
        do {
            return try respondOrMustBlock(to: request, body: body)
        } catch {
            return handler.protocolErrorResponse(HTTPProtocolError(500, "The server failed to answer this request."), request: request)
        }
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

    /// Answers a protocol error on a connection that is then closed (lingering, so the client reads the answer).
    func refuse(_ connection: Connection, _ error: HTTPProtocolError) {
        var response = handler.protocolErrorResponse(error, request: nil)
        response.headers.set("Connection", "close")
        _ = try? write(response, to: connection, method: "GET", version: (1, 1), keepAlive: false)
        log(method: "-", target: "-", status: error.status.code, bytes: 0, start: Date(), peer: connection.peer)
        lingeringClose(connection)
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
        guard !loops.isEmpty else { return release(connection) }
        loop(of: connection).park(connection, waiting)
    }

    /// Reads the next request head, or says that the connection ended quietly (closed by the peer, idle past the
    /// keep-alive timeout, or woken by shutdown, with no partial request), or that it should park.
    func readHead(_ connection: Connection, deadline given: Date? = nil) throws -> HeadOutcome {
        let limits = configuration.limits
        var deadline = given
        while true {
            if connection.available > 0 {
                if let parsed = try parseHead(connection) { return .request(parsed) }
                if deadline == nil { deadline = Date().addingTimeInterval(limits.headerTimeout) }
            }
            let wait = deadline.map { $0.timeIntervalSinceNow } ?? limits.keepAliveTimeout
            let partial = connection.available > 0
            guard wait > 0 else { throw HTTPProtocolError.headTimedOut(limits) }
            let slice = !loops.isEmpty && limits.parkAfter > 0 && wait > limits.parkAfter && !isStopping ? limits.parkAfter : wait
            do {
                try connection.fill(timeout: slice)
            } catch ConnectionError.timedOut {
                if slice < wait { return .park(until: EventLoop.now() + wait - slice, headDeadline: deadline) }
                if !partial { return .closed }
                throw HTTPProtocolError.headTimedOut(limits)
            } catch {
                return .closed
            }
        }
    }

    /// Half-closes, then reads and drops what the client still sends (at most 1 MiB or 2 s), so that
    /// an early answer is not destroyed by a reset before the client reads it.
    func lingeringClose(_ connection: Connection) {
        _ = Glibc.shutdown(connection.fd, Int32(SHUT_WR))
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        var dropped = 0
        let deadline = Date().addingTimeInterval(2)
        while dropped < 1 << 20, deadline.timeIntervalSinceNow > 0 {
            guard let count = try? scratch.withUnsafeMutableBytes({ try connection.receive(into: $0, timeout: deadline.timeIntervalSinceNow) }) else {
                return
            }
            dropped += count
        }
    }

    func log(method: String, target: String, status: Int, bytes: Int64, start: Date, peer: String) {
        guard let accessLog = configuration.accessLog else { return }
        accessLog(
            AccessLogEntry(
                method: method, target: AccessLogEntry.redact(target, parameters: redacted), status: status, bytesSent: bytes,
                durationSeconds: Date().timeIntervalSince(start), remoteAddress: peer))
    }
}
