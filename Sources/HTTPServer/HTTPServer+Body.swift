import Foundation

extension HTTPServer {
    /// Whether a request's body is ready for a handler: all of it is buffered, or at least `limits.bodyReadyBytes` of
    /// it (the handler then reads the rest as it streams in). A request without a body is always ready.
    ///
    /// - Throws: ``HTTPProtocolError`` for a malformed chunked body.
    func bodyIsReady(_ request: HTTPRequest, _ connection: Connection) throws(HTTPProtocolError) -> Bool {
        let ready = configuration.limits.bodyReadyBytes
        switch request.framing {
        case .none: return true
        case .length(let length): return Int64(connection.available) >= min(length, Int64(ready))
        case .chunked:
            if connection.available >= ready { return true }
            return try Self.chunkedBodyIsWhole(connection, limits: configuration.limits)
        }
    }

    /// Whether the buffered bytes hold a whole chunked body, trailers included (they are left in the buffer).
    static func chunkedBodyIsWhole(_ connection: Connection, limits: HTTPLimits) throws(HTTPProtocolError) -> Bool {
        let result = connection.withBuffered { bytes -> (consumed: Int, value: Result<Bool, HTTPProtocolError>) in
            var decoder = ChunkedDecoder(limits: limits)
            var offset = 0
            while true {
                do throws(HTTPProtocolError) {
                    let (consumed, event) = try decoder.next(UnsafeBufferPointer(rebasing: bytes[offset...]))
                    offset += consumed
                    switch event {
                    case .end: return (0, .success(true))
                    case .data: continue
                    case .needMore: if consumed == 0 { return (0, .success(false)) }
                    }
                } catch {
                    return (0, .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Starts waiting on the loop for the body of `request` (its head consumed): a client that sent
    /// `Expect: 100-continue` is told to go on now.
    func beginBodyWait(_ connection: Connection, _ request: HTTPRequest) {
        if request.expectsContinue {
            let sent = (try? Self.continueLine.withUnsafeBytes { try connection.sendNow($0) }) ?? 0
            guard sent == Self.continueLine.count else { return release(connection) }
        }
        awaitBody(connection, request, since: EventLoop.now())
    }

    static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Reads a body on the loop until it is ready, then answers its request; refuses it (408) once it arrives slower
    /// than `limits.minimumBodyRate` allows, measured from `since`, as a worker reading it would.
    func awaitBody(_ connection: Connection, _ request: HTTPRequest, since: Double) {
        let limits = configuration.limits
        while true {
            do {
                if try bodyIsReady(request, connection) {
                    var answered = 0
                    guard dispatch(request, connection, bodySince: since, answered: &answered) else { return }
                    return serveHeads(connection, headDeadline: nil)
                }
            } catch {
                return refuseOnLoop(connection, error)
            }
            let now = EventLoop.now()
            let allowed = bodyAllowance(received: connection.available)
            guard now - since < allowed else { return refuseOnLoop(connection, bodyTooSlow()) }
            if isStopping { return release(connection) }
            switch connection.fillNow() {
            case .read: continue
            case .closed: return release(connection)
            case .wouldBlock:
                let deadline = min(since + allowed, now + limits.idleTimeout)
                let waiting = EventLoop.Waiting(deadline: deadline, headDeadline: nil, purpose: .body(request: request, since: since))
                return loop(of: connection).park(connection, waiting, drained: true)
            }
        }
    }

    /// Seconds a body that has delivered `received` bytes may have taken so far: the grace period, or longer as long
    /// as its average rate stays at `limits.minimumBodyRate` (without a rate, the idle timeout bounds each silence).
    func bodyAllowance(received: Int) -> Double {
        let limits = configuration.limits
        guard limits.minimumBodyRate > 0 else { return .infinity }
        return max(limits.bodyRateGracePeriod, Double(received) / limits.minimumBodyRate)
    }

    func bodyTooSlow() -> HTTPProtocolError {
        let limits = configuration.limits
        guard limits.minimumBodyRate > 0 else {
            return HTTPProtocolError(408, "The request body stopped arriving for \(Int(limits.idleTimeout)) seconds.")
        }
        return HTTPProtocolError(
            408, "The request body arrived slower than \(Int(limits.minimumBodyRate)) bytes a second, so the connection was closed.")
    }
}
