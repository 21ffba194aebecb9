import Crypto
import CurlHTTP
import Foundation
import Glibc

/// One download written safely: into a temporary file beside `target` (never over an existing one), decrypted on the
/// way when there is a key, checked against the size it should have, then fsynced and renamed into place. Nothing is
/// left at `target` unless the whole file arrived.
public enum FileDownload {
    /// `fetch` streams the body into the sink it is given and returns the last response.
    public static func save(
        to target: String, key: SymmetricKey?, expectedSize: Int64,
        fetch: (_ take: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool) throws -> WebClient.Response
    ) throws -> WebClient.Response {
        let temporary = target + ".dropgate-partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ClientError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var finished = false
        defer {
            close(fd)
            if !finished { unlink(temporary) }
        }
        let sink = DecryptingSink(fd: fd, key: key)
        let response = try fetch { sink.take($0) }
        guard (200..<300).contains(response.status) else { return response }
        let written = try sink.finish()
        guard written == expectedSize else {
            throw ClientError("\((target as NSString).lastPathComponent) is \(written) bytes, not the \(expectedSize) listed")
        }
        guard fsync(fd) == 0, rename(temporary, target) == 0 else { throw ClientError("cannot write \(target): \(String(cString: strerror(errno)))") }
        finished = true
        return response
    }
}
