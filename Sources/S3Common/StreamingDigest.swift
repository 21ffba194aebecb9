import CSystemZlib
import Crypto
import Foundation
import HTTPWire

/// Hashes a body as it streams: always MD5 (for the ETag), plus the S3 checksums asked for.
public struct StreamingDigest: Sendable {
    private var md5 = Insecure.MD5()
    private var sha256: SHA256?
    private var sha1: Insecure.SHA1?
    private var crc32: UInt32?
    private var crc32c: UInt32?
    private var crc64nvme: UInt64?
    public private(set) var byteCount: Int64 = 0

    /// Computes MD5 and each algorithm in `algorithms`.
    public init(algorithms: Set<ChecksumAlgorithm>) {
        if algorithms.contains(.sha256) { sha256 = SHA256() }
        if algorithms.contains(.sha1) { sha1 = Insecure.SHA1() }
        if algorithms.contains(.crc32) { crc32 = 0 }
        if algorithms.contains(.crc32c) { crc32c = 0 }
        if algorithms.contains(.crc64nvme) { crc64nvme = 0 }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        md5.update(bufferPointer: bytes)
        sha256?.update(bufferPointer: bytes)
        sha1?.update(bufferPointer: bytes)
        if let value = crc32 {
            crc32 = UInt32(CSystemZlib.crc32(UInt(value), bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(bytes.count)))
        }
        if let value = crc32c { crc32c = CRCs.crc32c.update(value, bytes) }
        if let value = crc64nvme { crc64nvme = CRCs.crc64nvme.update(value, bytes) }
        byteCount += Int64(bytes.count)
    }

    /// The MD5 in lowercase hex (an ETag without quotes).
    public func md5Hex() -> String { Hex.string(md5.finalize()) }

    /// The raw MD5 digest.
    public func md5Bytes() -> [UInt8] { Array(md5.finalize()) }

    /// The base64 digest of `algorithm`, if it was computed.
    public func base64(_ algorithm: ChecksumAlgorithm) -> String? {
        switch algorithm {
        case .sha256: sha256.map { Data($0.finalize()).base64EncodedString() }
        case .sha1: sha1.map { Data($0.finalize()).base64EncodedString() }
        case .crc32: crc32.map { Self.bigEndianBase64($0) }
        case .crc32c: crc32c.map { Self.bigEndianBase64($0) }
        case .crc64nvme: crc64nvme.map { value in Data((0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }).base64EncodedString() }
        }
    }

    static func bigEndianBase64(_ value: UInt32) -> String {
        Data([UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]).base64EncodedString()
    }
}

/// A table-driven reflected CRC (init and final xor all ones), for the checksums neither zlib nor swift-crypto
/// provide: CRC-32C and CRC-64/NVME.
struct ReflectedCRC<Value: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    let table: [Value]

    init(polynomial: Value) {
        table = (0..<256).map { index in
            var crc = Value(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            return crc
        }
    }

    func update(_ crc: Value, _ bytes: UnsafeRawBufferPointer) -> Value {
        var value = ~crc
        table.withUnsafeBufferPointer { table in
            for byte in bytes { value = table[Int(truncatingIfNeeded: (value ^ Value(byte)) & 0xFF)] ^ (value >> 8) }
        }
        return ~value
    }
}

/// The CRCs S3 takes beside zlib's CRC-32.
enum CRCs {
    /// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78).
    static let crc32c = ReflectedCRC<UInt32>(polynomial: 0x82F6_3B78)
    /// CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5), S3's `CRC64NVME`; "123456789" gives 0xAE8B14860A799888.
    static let crc64nvme = ReflectedCRC<UInt64>(polynomial: 0x9A6C_9329_AC4B_C9B5)
}
