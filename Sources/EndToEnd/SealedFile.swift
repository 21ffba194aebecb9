import Crypto
import Foundation

/// Seals and opens `DGE1` records with a share key (`docs/encryption.md`).
public struct SealedFile: Sendable {
    public let key: SymmetricKey
    public let header: SealedHeader

    public init(key: SymmetricKey, header: SealedHeader) {
        self.key = key
        self.header = header
    }

    /// Record `index` of the plaintext, sealed: the piece's ciphertext, then its tag.
    public func seal(_ piece: some DataProtocol, index: Int64, last: Bool) throws -> [UInt8] {
        let box = try AES.GCM.seal(piece, using: key, nonce: try header.nonce(index, last: last), authenticating: header.bytes)
        return Array(box.ciphertext) + Array(box.tag)
    }

    /// Opens record `index` (ciphertext and tag); `SealedFileError.tampered` when it fails.
    public func open(_ record: some DataProtocol, index: Int64, last: Bool) throws -> [UInt8] {
        let bytes = Array(record)
        guard bytes.count >= SealedFormat.tagSize else { throw SealedFileError.truncated }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: try header.nonce(index, last: last), ciphertext: bytes.dropLast(SealedFormat.tagSize), tag: bytes.suffix(SealedFormat.tagSize))
            return Array(try AES.GCM.open(box, using: key, authenticating: header.bytes))
        } catch let error as SealedFileError {
            throw error
        } catch {
            throw SealedFileError.tampered
        }
    }

    /// The whole sealed file of a plaintext held in memory (small files, the manifest, the test vectors).
    public func seal(_ plaintext: [UInt8]) throws -> [UInt8] {
        let size = header.recordSize
        let count = SealedFormat.recordCount(plaintextSize: Int64(plaintext.count), recordSize: size)
        var out = header.bytes
        for index in 0..<count {
            let start = Int(index) * size
            out += try seal(plaintext[start..<min(plaintext.count, start + size)], index: index, last: index == count - 1)
        }
        return out
    }

    /// Opens a whole sealed file held in memory, refusing any tampering.
    public static func open(_ sealed: [UInt8], key: SymmetricKey) throws -> [UInt8] {
        guard let header = SealedHeader(parsing: sealed) else { throw SealedFileError.notSealed }
        var reader = SealedReader(file: SealedFile(key: key, header: header))
        var out: [UInt8] = []
        try reader.feed(sealed.dropFirst(SealedFormat.headerSize)) { out += $0 }
        try reader.finish { out += $0 }
        return out
    }
}

/// Opens a sealed file fed in pieces of any size, with memory bounded by one record: each record is opened once the
/// next byte shows it is not the last (or at the end, as the last).
public struct SealedReader {
    let file: SealedFile
    var buffer: [UInt8] = []
    var index: Int64 = 0

    public init(file: SealedFile) { self.file = file }

    var recordBytes: Int { file.header.recordSize + SealedFormat.tagSize }

    /// Takes more sealed bytes (after the header) and hands out the plaintext of every record known not to be the last.
    public mutating func feed(_ bytes: some Collection<UInt8>, _ output: ([UInt8]) throws -> Void) throws {
        buffer += bytes
        while buffer.count > recordBytes {
            try output(try file.open(buffer[0..<recordBytes], index: index, last: false))
            buffer.removeFirst(recordBytes)
            index += 1
        }
    }

    /// The end of the bytes: what is left must be one record marked last.
    public mutating func finish(_ output: ([UInt8]) throws -> Void) throws {
        guard buffer.count >= SealedFormat.tagSize else { throw SealedFileError.truncated }
        do {
            try output(try file.open(buffer, index: index, last: true))
        } catch SealedFileError.tampered where buffer.count == recordBytes {
            // A full record that is not marked last: the file was cut at a record boundary.
            if (try? file.open(buffer, index: index, last: false)) != nil { throw SealedFileError.truncated }
            throw SealedFileError.tampered
        }
        buffer = []
    }
}
