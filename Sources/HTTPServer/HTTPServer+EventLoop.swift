import Foundation

extension HTTPServer {
    /// At most this many pipelined requests of one connection are answered in one turn of its loop, so that one
    /// connection cannot keep the loop from the others.
    static let requestsPerTurn = 16

    /// What the loops call: a readable connection is served on the loop; one quiet past its deadline is closed (with
    /// an answer when a request had begun).
    var loopHandlers: EventLoop.Handlers {
        EventLoop.Handlers(
            ready: { [self] connection, waiting in self.serveReady(connection, waiting) },
            expire: { [self] connection, waiting in self.expire(connection, waiting) })
    }

    /// Serves a readable connection on the calling thread (a loop's, or a worker's that just answered it) without
    /// waiting: reads what is there, answers the requests the handler says never block, hands to the worker pool the
    /// first one that may once its body is ready, and waits on the loop again when the client has nothing more to say.
    func serveReady(_ connection: Connection, _ waiting: EventLoop.Waiting) {
        switch waiting.purpose {
        case .head: serveHeads(connection, headDeadline: waiting.headDeadline)
        case .body(let request, let since): awaitBody(connection, request, since: since)
        case .lingering(let discarded): linger(connection, waiting, discarded: discarded)
        case .streamingWorker(let request, let until): startStreaming(connection, request, until: until)
        }
    }

    /// Closes a connection quiet past its deadline: an idle one or a lingering one quietly, one in the middle of a head
    /// or a body with 408.
    func expire(_ connection: Connection, _ waiting: EventLoop.Waiting) {
        switch waiting.purpose {
        case .lingering: release(connection)
        case .body: refuseOnLoop(connection, bodyTooSlow())
        case .streamingWorker(let request, let until): startStreaming(connection, request, until: until)
        case .head:
            guard connection.available > 0 else { return release(connection) }
            refuseOnLoop(connection, .headTimedOut(configuration.limits))
        }
    }

    /// Reads and answers heads until the client has nothing more to say, a request goes to a worker, or a body is awaited.
    ///
    /// - Parameter inline: the calling thread is a worker that just answered this connection: a request that needs a
    ///   worker is returned for it to answer, unless other requests wait for one.
    @discardableResult
    func serveHeads(_ connection: Connection, headDeadline given: Date?, inline: Bool = false) -> WorkerTask? {
        let limits = configuration.limits
        var headDeadline = given
        var answered = 0
        while true {
            var head: HTTPRequest?
            if connection.available > 0 {
                do {
                    head = try parseHead(connection)
                } catch let error as HTTPProtocolError {
                    refuseOnLoop(connection, error)
                    return nil
                } catch {
                    release(connection)
                    return nil
                }
            }
            guard let request = head else {
                if connection.available > 0 && headDeadline == nil { headDeadline = Date().addingTimeInterval(limits.headerTimeout) }
                if let headDeadline, headDeadline.timeIntervalSinceNow <= 0 {
                    refuseOnLoop(connection, .headTimedOut(limits))
                    return nil
                }
                if isStopping && connection.available == 0 {
                    release(connection)
                    return nil
                }
                switch connection.fillNow() {
                case .read: continue
                case .closed:
                    release(connection)
                    return nil
                case .wouldBlock:
                    wait(connection, headDeadline: headDeadline, drained: true)
                    return nil
                }
            }
            headDeadline = nil
            let whole: Bool
            do {
                switch try bodyReadiness(request, connection) {
                case .ready(let all): whole = all
                case .waiting:
                    // A client waiting for 100 Continue first meets the handler, which may refuse without the body.
                    guard request.expectsContinue else {
                        beginBodyWait(connection, request)
                        return nil
                    }
                    return runOnWorker(connection, WorkerTask(request: request), inline: inline && answered == 0)
                }
            } catch {
                refuseOnLoop(connection, error)
                return nil
            }
            switch dispatch(request, connection, bodySince: nil, whole: whole, answered: &answered, inline: inline) {
            case .kept: break
            case .gone: return nil
            case .runHere(let task): return task
            }
            if connection.available == 0 {
                wait(connection, headDeadline: nil, drained: connection.lastReadDrained)
                return nil
            }
        }
    }

    /// What became of a request whose body is ready.
    enum Dispatched {
        /// Answered here; this thread keeps the connection.
        case kept
        /// Handed to a worker, waiting on the loop, or closed.
        case gone
        /// For this thread, a worker, to answer.
        case runHere(WorkerTask)
    }

    /// Answers a request whose body is ready: on this thread when the handler says it never blocks and the body is all
    /// here, else on a worker (one reading a streamed body only while fewer than ``streamingWorkerLimit`` do): this one
    /// when `inline` and no other request waits for one.
    func dispatch(_ request: HTTPRequest, _ connection: Connection, bodySince: Double?, whole: Bool, answered: inout Int, inline: Bool = false)
        -> Dispatched
    {
        let inline = inline && answered == 0
        guard whole else {
            return startStreaming(connection, request, until: EventLoop.now() + configuration.limits.idleTimeout, inline: inline).map { .runHere($0) }
                ?? .gone
        }
        releaseBody(connection)
        guard answered < Self.requestsPerTurn, let length = Self.bufferedBodyLength(request, connection), handler.answersOnEventLoop(request) else {
            return runOnWorker(connection, WorkerTask(request: request, bodySince: bodySince), inline: inline).map { .runHere($0) } ?? .gone
        }
        answered += 1
        return answerOnLoop(request, bodyLength: length, connection) ? .kept : .gone
    }

    /// Gives `task` to a worker: returned, for this thread to answer, when `inline` and no other request waits for a
    /// worker; else queued (or refused 503 when the queue is full).
    func runOnWorker(_ connection: Connection, _ task: WorkerTask, inline: Bool) -> WorkerTask? {
        if inline && workers.queuedCount == 0 { return task }
        let accepted = handToWorker(connection) { self.serve(connection, task) }
        if !accepted && task.streaming { streamingWorkers.subtract(1, ordering: .relaxed) }
        return nil
    }

    /// Waits on the loop for the next bytes: until the head's deadline when part of one came (or the first head is
    /// awaited: its deadline runs from the accept), else the keep-alive timeout.
    private func wait(_ connection: Connection, headDeadline: Date?, drained: Bool) {
        let limits = configuration.limits
        let seconds = headDeadline.map { $0.timeIntervalSinceNow } ?? limits.keepAliveTimeout
        let waiting = EventLoop.Waiting(deadline: EventLoop.now() + max(0, seconds), headDeadline: headDeadline)
        loop(of: connection).park(connection, waiting, drained: drained)
    }

    /// The loop a connection waits on.
    func loop(of connection: Connection) -> EventLoop { loops[Int(connection.fd) % loops.count] }

    /// Queues a job for the worker pool, the connection's watch disarmed while a worker has it; when the queue is full,
    /// answers 503 with `Retry-After` instead (and returns false). `force` queues the rest of a response already decided.
    @discardableResult
    func handToWorker(_ connection: Connection, force: Bool = false, _ job: @escaping @Sendable () -> Void) -> Bool {
        loop(of: connection).disarm(connection)
        guard workers.submit(job, client: connection.client, force: force) else {
            _ = setBusy(connection, false)
            refuseOnLoop(connection, HTTPProtocolError(503, "The server is busy; try again in a second."))
            return false
        }
        return true
    }

    /// Gives a request whose streamed body is ready to a worker once one of ``streamingWorkerLimit`` is free; until
    /// then it waits on the loop, its body unread (the client's window fills), tried again every sweep until `until`,
    /// then refused 503. The body's rate is measured from when a worker takes it.
    @discardableResult
    func startStreaming(_ connection: Connection, _ request: HTTPRequest, until: Double, inline: Bool = false) -> WorkerTask? {
        let limit = streamingWorkerLimit
        let taken = streamingWorkers.add(1, ordering: .relaxed).newValue <= limit
        guard taken else {
            streamingWorkers.subtract(1, ordering: .relaxed)
            let now = EventLoop.now()
            guard now < until, !isStopping else {
                refuseOnLoop(connection, HTTPProtocolError(503, "The server is receiving too many uploads; try again in a second."))
                return nil
            }
            _ = holdBody(connection)  // what came counts while it waits (at most `limits.bodyReadyBytes` and a read)
            let purpose = EventLoop.Waiting.Purpose.streamingWorker(request: request, until: until)
            let waiting = EventLoop.Waiting(deadline: min(until, now + 0.2), headDeadline: nil, purpose: purpose)
            loop(of: connection).park(connection, waiting, drained: true)
            return nil
        }
        releaseBody(connection)
        return runOnWorker(connection, WorkerTask(request: request, bodySince: EventLoop.now(), streaming: true), inline: inline)
    }

    /// The length of the request's body when all of it is buffered (0 for none); nil while some has yet to come, or
    /// when it is chunked (a worker reads those).
    static func bufferedBodyLength(_ request: HTTPRequest, _ connection: Connection) -> Int? {
        switch request.framing {
        case .none: 0
        case .length(let length): length <= Int64(connection.available) ? Int(length) : nil
        case .chunked: nil
        }
    }
}
