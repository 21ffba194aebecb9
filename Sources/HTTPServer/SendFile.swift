import Glibc

/// sendfile(2) until `length` bytes have gone: the loop the server (file to socket) and the embedded store (file to
/// file, since Linux 2.6.33) share. Interrupted calls are retried; what else stops it is the caller's to name.
public enum SendFile {
    /// Why the transfer stopped early.
    public enum Stop: Error, Sendable, Equatable {
        /// The source ended before `length` bytes.
        case shortSource
        /// sendfile failed with this errno (`EAGAIN` when a socket's send timeout passed).
        case failed(errno: Int32)
    }

    /// Sends `length` bytes of `source` from `offset` to `target` (at its current position).
    public static func transfer(from source: Int32, at offset: Int64, to target: Int32, length: Int64) throws(Stop) {
        var position = off_t(offset)
        var remaining = length
        while remaining > 0 {
            let sent = sendfile(target, source, &position, Int(min(remaining, 1 << 30)))
            if sent > 0 {
                remaining -= Int64(sent)
                continue
            }
            if sent == 0 { throw .shortSource }
            if errno == EINTR { continue }
            throw .failed(errno: errno)
        }
    }
}
