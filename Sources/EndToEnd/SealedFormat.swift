import Crypto
import Foundation

/// The `DGE1` format of end-to-end encrypted files (`docs/encryption.md`): a 16-byte header, then AES-256-GCM records
/// whose nonces are the file's random prefix, the record's index and a last-record mark.
public enum SealedFormat {
    public static let magic: [UInt8] = Array("DGE1".utf8)
    public static let version: UInt8 = 1
    public static let headerSize = 16
    public static let tagSize = 16
    public static let defaultRecordSize = 65_536
    /// The record sizes a reader takes, so a hostile header cannot make it allocate much.
    public static let recordSizes = 1_024...(16 << 20)

    /// How many records a plaintext of `size` bytes has: at least one (an empty file is one empty record).
    public static func recordCount(plaintextSize size: Int64, recordSize: Int) -> Int64 {
        max(1, (size + Int64(recordSize) - 1) / Int64(recordSize))
    }

    /// The exact sealed size of a plaintext of `size` bytes; nil when out of range.
    public static func sealedSize(plaintextSize size: Int64, recordSize: Int) -> Int64? {
        guard size >= 0, size <= 1 << 50, recordSizes.contains(recordSize) else { return nil }
        return Int64(headerSize) + size + Int64(tagSize) * recordCount(plaintextSize: size, recordSize: recordSize)
    }
}

/// A sealed file's header: its record size and its random nonce prefix.
public struct SealedHeader: Sendable, Hashable {
    public var recordSize: Int
    /// 7 bytes.
    public var prefix: [UInt8]

    public init(recordSize: Int = SealedFormat.defaultRecordSize, prefix: [UInt8]) {
        self.recordSize = recordSize
        self.prefix = prefix
    }

    /// A header with a fresh random prefix.
    public static func random(recordSize: Int = SealedFormat.defaultRecordSize) -> SealedHeader {
        var generator = SystemRandomNumberGenerator()
        return SealedHeader(recordSize: recordSize, prefix: (0..<7).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    public var bytes: [UInt8] {
        let size = UInt32(recordSize)
        return SealedFormat.magic + [
            SealedFormat.version, UInt8(size >> 24), UInt8((size >> 16) & 0xFF), UInt8((size >> 8) & 0xFF), UInt8(size & 0xFF),
        ]
            + prefix
    }

    /// Parses the first 16 bytes of a sealed file; nil when they are not a `DGE1` header a reader takes.
    public init?(parsing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(SealedFormat.headerSize))
        guard head.count == SealedFormat.headerSize, Array(head[0..<4]) == SealedFormat.magic, head[4] == SealedFormat.version else { return nil }
        let size = Int(head[5]) << 24 | Int(head[6]) << 16 | Int(head[7]) << 8 | Int(head[8])
        guard SealedFormat.recordSizes.contains(size) else { return nil }
        self.recordSize = size
        self.prefix = Array(head[9..<16])
    }

    /// The nonce of record `index`.
    func nonce(_ index: Int64, last: Bool) throws -> AES.GCM.Nonce {
        guard (0...Int64(UInt32.max)).contains(index) else { throw SealedFileError.tooLong }
        let i = UInt32(index)
        return try AES.GCM.Nonce(
            data: prefix + [UInt8(i >> 24), UInt8((i >> 16) & 0xFF), UInt8((i >> 8) & 0xFF), UInt8(i & 0xFF), last ? 1 : 0])
    }
}

/// Why a sealed file cannot be opened.
public enum SealedFileError: Error, Equatable, CustomStringConvertible {
    /// Not a `DGE1` file, or a version or record size this reader does not take.
    case notSealed
    /// A record failed its tag: a wrong key, or bytes changed, moved, dropped or added.
    case tampered
    /// The bytes end before a record marked last.
    case truncated
    /// More records than the format's 32-bit index.
    case tooLong

    public var description: String {
        switch self {
        case .notSealed: "This is not an end-to-end encrypted Dropgate file."
        case .tampered: "The file does not decrypt with this key: the key is wrong, or the file was changed."
        case .truncated: "The encrypted file is cut short."
        case .tooLong: "The file is too long for the format."
        }
    }
}
