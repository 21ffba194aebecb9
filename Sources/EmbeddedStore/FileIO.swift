import Foundation
import Glibc
import HTTPServer

/// The few file calls the store makes, with S3-style errors (a full disk is `InsufficientStorage`).
enum FileIO {
    static func failure(_ what: String) -> S3Error {
        let code = errno
        if code == ENOSPC || code == EDQUOT {
            return S3Error(.insufficientStorage, "The store's disk is full; the object was not stored.", status: 507)
        }
        return S3Error.internalError("\(what) failed: \(String(cString: strerror(code))).")
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var written = 0
        while written < bytes.count {
            let count = pwrite(fd, bytes.baseAddress! + written, bytes.count - written, off_t(offset) + off_t(written))
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("Writing an object")
            }
            written += count
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int64) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, at: offset) }
    }

    static func read(_ fd: Int32, count: Int, at offset: Int64) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw failure("Reading an object")
            }
            if got == 0 { throw S3Error.internalError("A stored object is shorter than its metadata says.") }
            done += got
        }
        return buffer
    }

    static func sync(_ fd: Int32) throws {
        guard fsync(fd) == 0 else { throw failure("fsync") }
    }

    /// fsyncs a directory so that a rename in it survives a crash.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Copies `length` bytes between files in the kernel with sendfile(2) (file to file works since Linux 2.6.33).
    static func copy(from source: Int32, at sourceOffset: Int64, to target: Int32, at targetOffset: Int64, length: Int64) throws {
        guard lseek(target, off_t(targetOffset), SEEK_SET) >= 0 else { throw failure("Seeking in an object") }
        do {
            try SendFile.transfer(from: source, at: sourceOffset, to: target, length: length)
        } catch .shortSource {
            throw S3Error.internalError("A part is shorter than its metadata says.")
        } catch .failed(let code) {
            errno = code
            throw failure("Copying a part")
        }
    }

    /// Writes a small file whole: to `path.tmp`, fsynced, renamed into place, and the folder fsynced. A full disk is
    /// 507 `InsufficientStorage`, and nothing half-written is left at `path`.
    static func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("Creating \(path)") }
        do {
            try writeAll(fd, bytes, at: 0)
            try sync(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = failure("Publishing \(path)")
            unlink(temporary)
            throw error
        }
        syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Creates a folder; a full disk is 507 `InsufficientStorage`.
    static func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 else { throw failure("Creating a folder") }
    }
}
