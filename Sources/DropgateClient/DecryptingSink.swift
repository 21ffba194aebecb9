import Crypto
import CurlHTTP
import DropgateAPI
import EndToEnd
import Foundation
import Glibc
import HTTPWire
import SigV4
import Synchronization

/// Writes a download to a file as it arrives, opening sealed records on the way when there is a key.
public final class DecryptingSink: @unchecked Sendable {
    private let fd: Int32
    private let key: SymmetricKey?
    private let lock = Mutex(())
    private var header: [UInt8] = []
    private var reader: SealedReader?
    private var failure: (any Error)?
    private var written: Int64 = 0

    init(fd: Int32, key: SymmetricKey?) {
        self.fd = fd
        self.key = key
    }

    /// Takes one piece; false stops the transfer (a write failed, or a record did not open).
    func take(_ bytes: UnsafeRawBufferPointer) -> Bool {
        lock.withLock { _ in
            do {
                guard let key else {
                    try write(Array(bytes))
                    return true
                }
                var rest = bytes[...]
                if reader == nil {
                    let needed = SealedFormat.headerSize - header.count
                    header += rest.prefix(needed)
                    rest = rest.dropFirst(needed)
                    guard header.count == SealedFormat.headerSize else { return true }
                    guard let parsed = SealedHeader(parsing: header) else { throw SealedFileError.notSealed }
                    reader = SealedReader(file: SealedFile(key: key, header: parsed))
                }
                try reader?.feed(rest) { try write($0) }
                return true
            } catch {
                failure = error
                return false
            }
        }
    }

    /// The bytes written, once the last record opened; throws what went wrong.
    func finish() throws -> Int64 {
        try lock.withLock { _ in
            if let failure { throw failure }
            if key != nil {
                guard var reader else { throw SealedFileError.truncated }
                try reader.finish { try write($0) }
                self.reader = reader
            }
            return written
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        try FileWrite.all(bytes, to: fd)
        written += Int64(bytes.count)
    }
}
