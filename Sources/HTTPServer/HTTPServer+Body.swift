import Foundation

extension HTTPServer {
    /// Whether a request's body is ready for its handler, and whether all of it is here.
    enum BodyReadiness: Equatable {
        /// Wait for more.
        case waiting
        /// Call the handler: with the whole body in memory, or with enough of a streamed one.
        case ready(whole: Bool)
    }

    /// How far a request's body is, with its head consumed. A body the handler wants in memory
    /// (``HTTPHandler/bufferedBodyLimit(_:)``) is ready when whole; a streamed one when whole or once
    /// `limits.bodyReadyBytes` have come. A request without a body is always ready.
    ///
    /// - Throws: ``HTTPProtocolError``: 413 for a body larger than the handler takes in memory, 400 for a malformed
    ///   chunked body.
    func bodyReadiness(_ request: HTTPRequest, _ connection: Connection) throws(HTTPProtocolError) -> BodyReadiness {
        let available = connection.available
        let limit = handler.bufferedBodyLimit(request)
        switch request.framing {
        case .none:
            return .ready(whole: true)
        case .length(let length):
            if let limit, length > Int64(limit) {
                throw HTTPProtocolError(413, "The request body is \(length) bytes; at most \(limit) are accepted here.")
            }
            if Int64(available) >= length { return .ready(whole: true) }
            return limit == nil && available >= configuration.limits.bodyReadyBytes ? .ready(whole: false) : .waiting
        case .chunked:
            if try Self.chunkedBodyIsWhole(connection, limits: configuration.limits) { return .ready(whole: true) }
            guard let limit else { return available >= configuration.limits.bodyReadyBytes ? .ready(whole: false) : .waiting }
            // Chunk sizes and line ends take room too: twice the limit is more than any sane chunking needs.
            if available > 2 * limit + 64 * 1024 { throw HTTPProtocolError(413, "The request body is larger than \(limit) bytes.") }
            return .waiting
        }
    }

    /// Whether the buffered bytes hold a whole chunked body, trailers included (they are left in the buffer). Goes on
    /// from where the last call for this body stopped (``Connection/chunkedScan``), so a body that trickles in is read
    /// once, not once per wake-up.
    static func chunkedBodyIsWhole(_ connection: Connection, limits: HTTPLimits) throws(HTTPProtocolError) -> Bool {
        var scan = connection.chunkedScan ?? (ChunkedDecoder(limits: limits), 0)
        let result = connection.withBuffered { bytes -> (consumed: Int, value: Result<Bool, HTTPProtocolError>) in
            do throws(HTTPProtocolError) {
                let (consumed, ended) = try scan.decoder.skip(UnsafeBufferPointer(rebasing: bytes[scan.offset...]))
                scan.offset += consumed
                return (0, .success(ended))
            } catch {
                return (0, .failure(error))
            }
        }
        connection.chunkedScan = scan
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

    /// Reads a body on the loop until it is ready, then answers its request; refuses it with 408 once it arrives
    /// slower than `limits.minimumBodyRate` allows (measured from `since`, as a worker reading it would), and with 503
    /// when the loops already hold `limits.bufferedBodyBytes` of bodies.
    func awaitBody(_ connection: Connection, _ request: HTTPRequest, since: Double) {
        let limits = configuration.limits
        while true {
            do {
                if case .ready(let whole) = try bodyReadiness(request, connection) {
                    var answered = 0
                    guard case .kept = dispatch(request, connection, bodySince: since, whole: whole, answered: &answered) else { return }
                    serveHeads(connection, headDeadline: nil)
                    return
                }
            } catch {
                return refuseOnLoop(connection, error)
            }
            guard holdBody(connection) else {
                return refuseOnLoop(connection, HTTPProtocolError(503, "The server is receiving too many request bodies; try again in a second."))
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

    /// Counts the connection's buffered body bytes in ``bodyBytesHeld``; false when that passes `limits.bufferedBodyBytes`.
    func holdBody(_ connection: Connection) -> Bool {
        let growth = connection.available - connection.heldBodyBytes
        guard growth != 0 else { return true }
        connection.heldBodyBytes = connection.available
        let total = bodyBytesHeld.add(growth, ordering: .relaxed).newValue
        return growth < 0 || total <= configuration.limits.bufferedBodyBytes
    }

    /// Stops counting the connection's body bytes (its handler has them now, or it closes), and forgets how far its
    /// chunked body was checked.
    func releaseBody(_ connection: Connection) {
        connection.chunkedScan = nil
        guard connection.heldBodyBytes != 0 else { return }
        bodyBytesHeld.subtract(connection.heldBodyBytes, ordering: .relaxed)
        connection.heldBodyBytes = 0
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
