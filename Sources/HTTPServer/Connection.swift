import Glibc
import Synchronization

/// Why a connection cannot go on.
enum ConnectionError: Error {
    /// The peer closed its side.
    case closed
    /// No byte arrived (or could be sent) in time.
    case timedOut
    /// A socket call failed.
    case failed(SocketError)
}

/// One accepted socket with its read buffer.
///
/// `@unchecked Sendable`: the accept thread hands it over once to the connection's own thread,
/// which is then its only user; other threads only call `shutdown(2)` on its fd.
final class Connection: @unchecked Sendable {
    let fd: Int32
    let peer: String
    /// The peer's address without its port: whom the per-client bounds and the workers' turns count.
    let client: String
    /// Buffered, unparsed input: `buffer[readIndex..<writeIndex]`.
    private(set) var buffer: [UInt8]
    private(set) var readIndex = 0
    private(set) var writeIndex = 0
    private(set) var isClosed = false
    /// Whether the fd is in its event loop's epoll set (then it is re-armed, not added).
    var isWatched = false
    /// How far the loop has checked a chunked body it waits for: the decoder, and the buffered bytes (past the head)
    /// it has read, so that each wake-up goes on from there rather than reading the body again from its start.
    var chunkedScan: (decoder: ChunkedDecoder, offset: Int)?
    /// Body bytes of this connection counted in the server's ``HTTPServer/bodyBytesHeld``.
    var heldBodyBytes = 0
    /// Whether its watch reports readiness (false while a worker serves it: see ``EventLoop/disarm(_:)``).
    var isArmed = false
    /// How many times it was parked in an event loop, up to 255 (see ``EventLoop/park(_:_:drained:)``).
    var timesParked: UInt8 = 0
    /// Whether the last ``fillNow()`` left the socket empty (it read less than it had room for, or nothing was
    /// there): an edge-triggered watch then reports the next bytes without being re-armed.
    private(set) var lastReadDrained = false
    /// Whether a request is being answered; read by shutdown from another thread.
    let busy = Atomic<Bool>(false)
    private var dateCache: (second: Int, text: String) = (-1, "")

    var isBusy: Bool { busy.load(ordering: .sequentiallyConsistent) }

    /// The `Date` header value, formatted at most once a second per connection (no shared lock).
    func currentDate() -> String {
        let second = time(nil)
        if second != dateCache.second { dateCache = (second, HTTPDate.format(secondsSince1970: second)) }
        return dateCache.text
    }

    init(fd: Int32, peer: String, bufferSize: Int = Connection.bufferSize) {
        self.fd = fd
        self.peer = peer
        self.client = String(HTTPServer.host(ofPeer: peer))
        self.buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    deinit { close() }

    /// The number of buffered bytes not consumed yet.
    var available: Int { writeIndex - readIndex }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(fd)
    }

    /// Shuts the socket down in both directions, waking a thread blocked on it.
    func shutdownBothWays() { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    /// Runs `body` on the buffered bytes; `body` returns how many it consumed.
    func withBuffered<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> (consumed: Int, value: T)) rethrows -> T {
        let (consumed, value) = try buffer.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[readIndex..<writeIndex]))
        }
        consume(consumed)
        return value
    }

    func consume(_ count: Int) {
        readIndex += count
        if readIndex == writeIndex {
            readIndex = 0
            writeIndex = 0
        }
    }

    /// The buffer's size when it is (re)made; it doubles while a head or a small body needs more.
    static let bufferSize = 4 * 1024

    /// Frees the read buffer while nothing is in it (a parked connection then costs no buffer); ``fill(timeout:)``
    /// makes a new one.
    func releaseBufferIfEmpty() {
        guard available == 0 else { return }
        buffer = []
        readIndex = 0
        writeIndex = 0
    }

    /// Reads more bytes into the buffer, waiting at most `timeout` seconds for the first one.
    ///
    /// - Throws: ``ConnectionError/closed`` at end of stream, ``ConnectionError/timedOut`` when nothing arrived.
    func fill(timeout: Double) throws {
        if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: Self.bufferSize) }
        makeRoom()
        let received = try buffer.withUnsafeMutableBytes { raw -> Int in
            let free = UnsafeMutableRawBufferPointer(rebasing: raw[writeIndex...])
            return try receive(into: free, timeout: timeout)
        }
        writeIndex += received
    }

    /// What a read that must not wait gave.
    enum ReadNow {
        case read
        case wouldBlock
        case closed
    }

    /// Reads what the socket has into the buffer without waiting (for an event loop).
    func fillNow() -> ReadNow {
        if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: Self.bufferSize) }
        makeRoom()
        while true {
            let received = buffer.withUnsafeMutableBytes { raw in
                recv(fd, raw.baseAddress! + writeIndex, raw.count - writeIndex, Int32(MSG_DONTWAIT))
            }
            if received > 0 {
                lastReadDrained = received < buffer.count - writeIndex
                writeIndex += received
                return .read
            }
            lastReadDrained = false
            if received == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                lastReadDrained = true
                return .wouldBlock
            default: return .closed
            }
        }
    }

    /// Sends what the socket takes now without waiting (for an event loop); returns the count sent.
    ///
    /// - Throws: ``ConnectionError/closed`` when the peer is gone.
    func sendNow(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        var offset = 0
        while offset < bytes.count {
            let sent = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            if sent > 0 {
                offset += sent
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return offset
            default: throw ConnectionError.closed
            }
        }
        return offset
    }

    /// A copy of the first `count` buffered bytes, left in the buffer.
    func copyBuffered(_ count: Int) -> [UInt8] {
        Array(buffer[readIndex..<(readIndex + count)])
    }

    /// Makes room at the end of the buffer: moves unread bytes to the front, or doubles it when it is full of them.
    private func makeRoom() {
        guard writeIndex == buffer.count else { return }
        if readIndex > 0 {
            buffer.withUnsafeMutableBufferPointer { all in
                let count = writeIndex - readIndex
                if count > 0, let base = all.baseAddress { memmove(base, base + readIndex, count) }
            }
            writeIndex -= readIndex
            readIndex = 0
        } else {
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
    }

    /// Reads into `target` straight from the socket (the buffer must be empty), for big bodies.
    ///
    /// A blocking recv(2) bounded by SO_RCVTIMEO: one system call per read. The option is set only
    /// when the timeout changes (the keep-alive and idle timeouts are constant).
    func receive(into target: UnsafeMutableRawBufferPointer, timeout: Double) throws -> Int {
        try setReceiveTimeout(timeout)
        while true {
            let count = recv(fd, target.baseAddress, target.count, 0)
            if count > 0 { return count }
            if count == 0 { throw ConnectionError.closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw ConnectionError.timedOut
            case ECONNRESET, EPIPE, ENOTCONN, ESHUTDOWN: throw ConnectionError.closed
            default: throw ConnectionError.failed(SocketError("recv"))
            }
        }
    }

    /// The SO_RCVTIMEO in force, in microseconds.
    private var receiveTimeoutMicroseconds = -1

    private func setReceiveTimeout(_ seconds: Double) throws {
        let microseconds = max(1_000, Int(min(seconds, 86_400) * 1_000_000))
        guard microseconds != receiveTimeoutMicroseconds else { return }
        var value = timeval(tv_sec: microseconds / 1_000_000, tv_usec: microseconds % 1_000_000)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw ConnectionError.failed(SocketError("setsockopt(SO_RCVTIMEO)"))
        }
        receiveTimeoutMicroseconds = microseconds
    }

    /// Sends every byte, or throws (the send timeout is the socket's SO_SNDTIMEO).
    func send(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if sent > 0 {
                offset += sent
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw ConnectionError.timedOut
            case EPIPE, ECONNRESET, ENOTCONN, ESHUTDOWN: throw ConnectionError.closed
            default: throw ConnectionError.failed(SocketError("send"))
            }
        }
    }

    func send(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in try send(raw) }
    }

    /// Sends `length` bytes of file `file` from `offset` with sendfile(2).
    func sendFile(_ file: Int32, offset: Int64, length: Int64) throws {
        do {
            try SendFile.transfer(from: file, at: offset, to: fd, length: length)
        } catch .shortSource {
            throw ConnectionError.failed(SocketError("sendfile: the file is shorter than announced", code: EIO))
        } catch .failed(let code) {
            switch code {
            case EAGAIN: throw ConnectionError.timedOut
            case EPIPE, ECONNRESET, ENOTCONN: throw ConnectionError.closed
            default: throw ConnectionError.failed(SocketError("sendfile", code: code))
            }
        }
    }
}
