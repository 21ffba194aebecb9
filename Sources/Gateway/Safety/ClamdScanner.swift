import DropgateSettings
import Foundation
import Glibc

/// A virus scan by clamd's `INSTREAM` command (clamd(8)): the bytes go to clamd in length-prefixed chunks as they
/// arrive from the store, never to a temporary file, and memory stays one chunk.
public struct ClamdScanner: Sendable {
    /// What clamd said.
    public enum Verdict: Sendable, Equatable {
        case clean
        /// The signature that matched (`Eicar-Test-Signature`).
        case infected(String)
    }

    /// clamd refused the stream as longer than its `StreamMaxLength`.
    public struct TooLarge: Error, Sendable, CustomStringConvertible {
        public var description: String

        /// The refusal in clamd's answer, if that is what it says.
        init?(_ answer: String) {
            guard answer.contains("size limit exceeded") else { return nil }
            description = answer
        }
    }

    /// clamd could not be reached or did not answer.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    let address: ClamdAddress
    /// Seconds for connecting and for each read or write.
    let timeout: Int

    /// `tcp://127.0.0.1:3310` or `unix:/run/clamav/clamd.ctl`; nil when malformed.
    public init?(_ text: String, timeout: Int = 30) {
        guard let address = ClamdAddress(text) else { return nil }
        self.address = address
        self.timeout = timeout
    }

    /// `PING` → `PONG`: whether clamd answers.
    public func ping() throws {
        let fd = try connect()
        defer { close(fd) }
        try send(fd, Array("zPING\0".utf8))
        let answer = try readReply(fd)
        guard answer == "PONG" else { throw Unavailable(description: "clamd answered PING with '\(answer)'") }
    }

    /// Whether clamd takes a stream of `count` bytes (zeros, sent and scanned): false when that is more than its
    /// `StreamMaxLength`. Throws ``Unavailable`` when clamd does not answer.
    public func accepts(bytes count: Int64) throws -> Bool {
        let zeros = [UInt8](repeating: 0, count: 64 * 1024)
        do {
            _ = try scan { send in
                var left = count
                while left > 0 {
                    let piece = Int(min(left, Int64(zeros.count)))
                    guard zeros.withUnsafeBytes({ send(UnsafeRawBufferPointer(rebasing: $0[0..<piece])) }) else { return }
                    left -= Int64(piece)
                }
            }
            return true
        } catch is TooLarge {
            return false
        }
    }

    /// Scans what `produce` hands over: it is called with a function that sends one piece and returns false once
    /// sending failed (produce should then stop).
    public func scan(_ produce: ((UnsafeRawBufferPointer) -> Bool) throws -> Void) throws -> Verdict {
        let fd = try connect()
        defer { close(fd) }
        try send(fd, Array("zINSTREAM\0".utf8))
        var failure: (any Error)?
        try produce { chunk in
            guard failure == nil else { return false }
            var offset = 0
            while offset < chunk.count {
                let piece = min(64 * 1024, chunk.count - offset)
                var length = UInt32(piece).bigEndian
                do {
                    try withUnsafeBytes(of: &length) { try send(fd, $0) }
                    try send(fd, UnsafeRawBufferPointer(rebasing: chunk[offset..<(offset + piece)]))
                } catch {
                    failure = error
                    return false
                }
                offset += piece
            }
            return true
        }
        // clamd stops reading and answers once a stream passes its StreamMaxLength: a send that failed says so, not
        // "unreachable".
        do {
            if let failure { throw failure }
            try send(fd, [0, 0, 0, 0])
        } catch {
            if let answer = try? readReply(fd), let tooLarge = TooLarge(answer) { throw tooLarge }
            throw error
        }
        let answer = try readReply(fd)
        // `stream: OK`, `stream: Eicar-Test-Signature FOUND`, or `… ERROR` (a size limit, a broken database).
        if answer.hasSuffix(" FOUND") {
            let name = answer.dropLast(" FOUND".count)
            return .infected(String(name.hasPrefix("stream: ") ? name.dropFirst("stream: ".count) : name))
        }
        // clamd's own bound (StreamMaxLength): the file is too large to scan, which no failOpen may let through.
        if let tooLarge = TooLarge(answer) { throw tooLarge }
        guard answer.hasSuffix("OK") else { throw Unavailable(description: "clamd could not scan the file: \(answer)") }
        return .clean
    }

    private func connect() throws -> Int32 {
        switch address {
        case .unix(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw Unavailable(description: "no socket: \(String(cString: strerror(errno)))") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            configure(fd)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard result == 0 else {
                close(fd)
                throw Unavailable(description: "clamd at unix:\(path) does not answer: \(String(cString: strerror(errno)))")
            }
            return fd
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
                throw Unavailable(description: "clamd's host \(host) cannot be resolved")
            }
            defer { freeaddrinfo(list) }
            let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw Unavailable(description: "no socket: \(String(cString: strerror(errno)))") }
            configure(fd)
            guard Glibc.connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
                close(fd)
                throw Unavailable(description: "clamd at tcp://\(host):\(port) does not answer: \(String(cString: strerror(errno)))")
            }
            return fd
        }
    }

    private func configure(_ fd: Int32) {
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try send(fd, $0) }
    }

    private func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Unavailable(description: "sending to clamd failed: \(String(cString: strerror(errno)))") }
            offset += count
        }
    }

    /// One NUL-terminated reply line, at most 1 KiB.
    private func readReply(_ fd: Int32) throws -> String {
        var reply: [UInt8] = []
        var byte: UInt8 = 0
        while reply.count < 1_024 {
            let count = recv(fd, &byte, 1, 0)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else { break }
            if byte == 0 || byte == 0x0A { return String(decoding: reply, as: UTF8.self) }
            reply.append(byte)
        }
        guard !reply.isEmpty else { throw Unavailable(description: "clamd closed the connection without an answer") }
        return String(decoding: reply, as: UTF8.self)
    }
}
