import Checksums
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Streams a body into a temporary file through a fixed 1 MiB buffer while hashing it, so memory stays
/// flat whatever the object's size.
enum ObjectWriter {
    /// Copies `source` into `fd` from offset 0; refuses more than `limit` bytes.
    static func stream(_ source: BodySource, to fd: Int32, algorithms: Set<ChecksumAlgorithm>, limit: Int64) throws -> StreamingDigest {
        var digest = StreamingDigest(algorithms: algorithms)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { return digest }
            guard digest.byteCount + Int64(count) <= limit else {
                throw S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size of \(limit) bytes.", status: 400)
            }
            try buffer.withUnsafeBytes { raw in
                let slice = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                try FileIO.writeAll(fd, slice, at: digest.byteCount)
                digest.update(slice)
            }
        }
    }
}
