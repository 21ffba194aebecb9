import Foundation

extension HTTPServer {
    /// The most a lingering connection reads and drops before it is closed anyway.
    static let lingerBytes = 1 << 20
    /// Seconds a lingering connection is kept.
    static let lingerSeconds = 2.0

    /// Answers a protocol error (or 503 from a full queue) without waiting, then closes the connection lingering. An
    /// answer the socket does not take at once is dropped with the connection: a client that does not read is not
    /// worth a thread.
    func refuseOnLoop(_ connection: Connection, _ error: HTTPProtocolError) {
        var response = handler.protocolErrorResponse(error, request: nil)
        response.headers.set("Connection", "close")
        if error.status.code == 503 || error.status.code == 429 { response.headers.set("Retry-After", "1") }
        var (bytes, sendsBody, _) = encodeHead(response, date: connection.currentDate(), method: "GET", version: (1, 1), keepAlive: false)
        if sendsBody, case .bytes(let content) = response.body { bytes.append(contentsOf: content) }
        response.releaseResources()
        let sent = (try? bytes.withUnsafeBytes { try connection.sendNow($0) }) ?? 0
        log(method: "-", target: "-", status: error.status.code, bytes: 0, start: Date(), peer: connection.peer)
        guard sent == bytes.count else { return release(connection) }
        closeLingering(connection)
    }

    /// Shuts the write side after an answer, then lets the loop read and drop what the client still sends (at most
    /// ``lingerBytes`` or ``lingerSeconds``) before closing, so that an early answer is not destroyed by a reset
    /// before the client reads it. Costs no thread.
    func closeLingering(_ connection: Connection) {
        _ = Glibc.shutdown(connection.fd, Int32(SHUT_WR))
        let discarded = connection.available
        connection.consume(discarded)
        releaseBody(connection)
        let waiting = EventLoop.Waiting(deadline: EventLoop.now() + Self.lingerSeconds, headDeadline: nil, purpose: .lingering(discarded: discarded))
        loop(of: connection).park(connection, waiting)
    }

    /// Reads and drops what a lingering connection sends; closes it at its end, or past ``lingerBytes``.
    func linger(_ connection: Connection, _ waiting: EventLoop.Waiting, discarded given: Int) {
        var discarded = given
        while discarded <= Self.lingerBytes {
            switch connection.fillNow() {
            case .read:
                discarded += connection.available
                connection.consume(connection.available)
            case .closed:
                return release(connection)
            case .wouldBlock:
                var next = waiting
                next.purpose = .lingering(discarded: discarded)
                return loop(of: connection).park(connection, next, drained: true)
            }
        }
        release(connection)
    }
}
