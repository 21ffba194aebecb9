import Glibc

/// Writing whole buffers to a file descriptor: write(2) may write less than asked, and is retried on EINTR.
public enum FileWrite {
    public static func all(_ bytes: [UInt8], to fd: Int32) throws {
        try bytes.withUnsafeBytes { try all($0, to: fd) }
    }

    public static func all(_ bytes: UnsafeRawBufferPointer, to fd: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw ClientError("writing a file failed: \(String(cString: strerror(errno)))") }
            offset += count
        }
    }
}
