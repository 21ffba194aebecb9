import Glibc

/// The body of one request, read incrementally: never buffered whole by the server.
///
/// The first read sends `100 Continue` when the client asked for it. Reads wait at most the idle
/// timeout for each piece, so a slow but steady upload of any size succeeds.
public final class HTTPRequestBody {
    /// How the body is delimited.
    public let framing: HTTPRequest.BodyFraming
    /// The trailer fields of a chunked body, once it is read to the end.
    public private(set) var trailers = HTTPHeaders()
    /// Body bytes read so far.
    public private(set) var bytesRead: Int64 = 0

    let connection: Connection?
    let limits: HTTPLimits
    var needsContinue: Bool
    private(set) var continueSent = false
    private var remainingLength: Int64
    private var decoder: ChunkedDecoder
    public private(set) var isComplete: Bool
    /// A read failed (a malformed chunk or trailer, a timeout, an early close): where the body ends is unknown, so
    /// the connection cannot serve another request.
    public private(set) var hasFailed = false
    /// The client waits for `100 Continue` and the server has not said it: the first read throws ``HTTPBodyAfterContinue``, and
    /// the server says it, reads the body on its event loop, and calls the handler again once the body is ready. So a
    /// handler that refuses without reading the body (401, 403, 413) never makes the client send it, and one that reads
    /// it never holds a thread while it comes.
    var continuesOnLoop = false

    init(framing: HTTPRequest.BodyFraming, expectsContinue: Bool, connection: Connection?, limits: HTTPLimits) {
        self.framing = framing
        self.connection = connection
        self.limits = limits
        self.needsContinue = expectsContinue
        self.decoder = ChunkedDecoder(limits: limits)
        switch framing {
        case .none:
            remainingLength = 0
            isComplete = true
        case .length(let length):
            remainingLength = length
            isComplete = length == 0
        case .chunked:
            remainingLength = 0
            isComplete = false
        }
    }

    /// An empty body, for requests built in tests.
    public static func empty() -> HTTPRequestBody {
        HTTPRequestBody(framing: .none, expectsContinue: false, connection: nil, limits: HTTPLimits())
    }

    /// A body held in memory, for handlers called in-process (tests, internal calls).
    public convenience init(bytes: [UInt8]) {
        self.init(framing: bytes.isEmpty ? .none : .length(Int64(bytes.count)), expectsContinue: false, connection: nil, limits: HTTPLimits())
        memory = bytes
    }

    private var memory: [UInt8]?
    private var memoryOffset = 0
    /// When the body's rate is measured from: when the server began waiting for it, or else when the first body byte
    /// was asked for.
    var rateStartedAt: ContinuousClock.Instant?

    /// How long the next wait for bytes may last: the idle timeout, or less when the body's average rate would fall
    /// below `limits.minimumBodyRate` sooner. Throws 408 once it has.
    func waitAllowance() throws -> Double {
        let now = ContinuousClock.now
        let started = rateStartedAt ?? now
        if rateStartedAt == nil { rateStartedAt = now }
        guard limits.minimumBodyRate > 0 else { return limits.idleTimeout }
        let elapsed = now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // The average stays at or above the rate until `bytesRead / rate` seconds in, and never before the grace ends.
        let allowed = max(limits.bodyRateGracePeriod, Double(bytesRead) / limits.minimumBodyRate)
        guard seconds < allowed else {
            throw HTTPProtocolError(
                408, "The request body arrived slower than \(Int(limits.minimumBodyRate)) bytes a second, so the connection was closed.")
        }
        return min(limits.idleTimeout, max(0.05, allowed - seconds))
    }

    /// Asks for the body before a handler spends anything on it (a temporary file, a lock): throws ``HTTPBodyAfterContinue`` when
    /// the body is to come after `100 Continue` on the event loop (see ``continuesOnLoop``), so the handler stops and is
    /// called again once it is ready; does nothing otherwise. The first read does the same.
    public func requireReady() throws {
        if continuesOnLoop && !isComplete { throw HTTPBodyAfterContinue() }
    }

    /// The declared length, when the body has a Content-Length.
    public var contentLength: Int64? {
        if case .length(let length) = framing { return length }
        if case .none = framing { return 0 }
        return nil
    }

    /// Reads up to `target.count` body bytes; returns 0 at the end of the body.
    ///
    /// - Throws: ``HTTPProtocolError`` (400 for a malformed chunk or an early close, 408 for a timeout).
    public func read(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !isComplete, target.count > 0 else { return 0 }
        if continuesOnLoop { throw HTTPBodyAfterContinue() }
        if let memory {
            let count = min(target.count, memory.count - memoryOffset)
            memory.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[memoryOffset..<(memoryOffset + count)])) }
            memoryOffset += count
            bytesRead += Int64(count)
            isComplete = memoryOffset == memory.count
            return count
        }
        guard let connection else { return 0 }
        try sendContinueIfNeeded()
        do {
            switch framing {
            case .none:
                return 0
            case .length:
                let wanted = Int(min(Int64(target.count), remainingLength))
                var count: Int
                if connection.available > 0 {
                    count = min(wanted, connection.available)
                    connection.withBuffered { buffered in
                        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffered)[0..<count]))
                        return (count, ())
                    }
                } else {
                    count = try receiveWithinRate(connection, into: UnsafeMutableRawBufferPointer(rebasing: target[0..<wanted]))
                }
                remainingLength -= Int64(count)
                bytesRead += Int64(count)
                isComplete = remainingLength == 0
                return count
            case .chunked:
                while true {
                    let limit = target.count
                    let produced: Int? = try connection.withBuffered { buffered -> (consumed: Int, value: Int?) in
                        var consumedTotal = 0
                        while true {
                            let rest = UnsafeBufferPointer(rebasing: buffered[consumedTotal...])
                            let (consumed, event) = try decoder.next(rest, maximumData: limit)
                            switch event {
                            case .data(let range):
                                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(rest)[range]))
                                return (consumedTotal + consumed, range.count)
                            case .end(let fields):
                                trailers = HTTPHeaders(fields)
                                return (consumedTotal + consumed, 0)
                            case .needMore:
                                consumedTotal += consumed
                                if consumed == 0 { return (consumedTotal, nil) }
                            }
                        }
                    }
                    if let produced {
                        if produced == 0 { isComplete = true }
                        bytesRead += Int64(produced)
                        return produced
                    }
                    try fillWithinRate(connection)
                }
            }
        } catch let error as HTTPProtocolError {
            hasFailed = true
            throw error
        } catch ConnectionError.timedOut {
            hasFailed = true
            throw HTTPProtocolError(408, "The request body stopped arriving for \(Int(limits.idleTimeout)) seconds.")
        } catch {
            hasFailed = true
            throw HTTPProtocolError.badRequest("The connection closed before the request body ended.")
        }
    }

    /// Receives bytes, waiting no longer than the rate and the idle timeout allow.
    private func receiveWithinRate(_ connection: Connection, into target: UnsafeMutableRawBufferPointer) throws -> Int {
        try withinRate { timeout in try connection.receive(into: target, timeout: timeout) }
    }

    /// Fills the connection's buffer, waiting no longer than the rate and the idle timeout allow.
    private func fillWithinRate(_ connection: Connection) throws {
        try withinRate { timeout in try connection.fill(timeout: timeout) }
    }

    /// Runs a wait for bytes with the allowance as its timeout. A full idle timeout of silence is a timeout; a shorter
    /// wait that ran out is the rate running out, which the next allowance reports as 408.
    private func withinRate<T>(_ wait: (Double) throws -> T) throws -> T {
        while true {
            let allowance = try waitAllowance()
            do {
                return try wait(allowance)
            } catch ConnectionError.timedOut where allowance < limits.idleTimeout {
                continue
            }
        }
    }

    /// Reads the next piece of the body, at most `maximumLength` bytes; `nil` at the end.
    public func readChunk(maximumLength: Int = 256 * 1024) throws -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: maximumLength)
        let count = try chunk.withUnsafeMutableBytes { raw in try read(into: raw) }
        guard count > 0 else { return nil }
        chunk.removeLast(maximumLength - count)
        return chunk
    }

    /// Reads the whole body, refusing (413) one larger than `limit` bytes.
    public func readAll(limit: Int) throws -> [UInt8] {
        if let length = contentLength, length > Int64(limit) {
            throw HTTPProtocolError(413, "The request body is \(length) bytes; at most \(limit) are accepted here.")
        }
        if let memory, memoryOffset == 0, !isComplete {
            memoryOffset = memory.count
            bytesRead = Int64(memory.count)
            isComplete = true
            return memory
        }
        var all: [UInt8] = []
        if let length = contentLength { all.reserveCapacity(Int(length)) }
        // A known length is read in pieces of what is left, so a small body costs no 64 KiB buffer.
        while !isComplete, let chunk = try readChunk(maximumLength: contentLength.map { max(1, min(64 * 1024, Int($0 - bytesRead))) } ?? 64 * 1024) {
            all.append(contentsOf: chunk)
            if all.count > limit { throw HTTPProtocolError(413, "The request body is larger than \(limit) bytes.") }
        }
        return all
    }

    /// Reads and discards what is left of the body when all of it is already buffered, without waiting for more;
    /// whether the body ended (so the connection can serve another request).
    func drainBuffered() -> Bool {
        if isComplete { return true }
        guard let connection, !hasFailed, !(needsContinue && !continueSent) else { return false }
        switch framing {
        case .none:
            isComplete = true
        case .length:
            guard remainingLength <= Int64(connection.available) else { return false }
            connection.consume(Int(remainingLength))
            bytesRead += remainingLength
            remainingLength = 0
            isComplete = true
        case .chunked:
            isComplete = connection.withBuffered { buffered -> (consumed: Int, value: Bool) in
                guard let (consumed, ended) = try? decoder.skip(buffered), ended else { return (0, false) }
                return (consumed, true)
            }
        }
        return isComplete
    }

    func sendContinueIfNeeded() throws {
        guard needsContinue, !continueSent, let connection else { return }
        continueSent = true
        do {
            try connection.send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        } catch {
            throw HTTPProtocolError.badRequest("The connection closed before the request body was sent.")
        }
    }
}
