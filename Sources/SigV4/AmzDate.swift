import Foundation
import HTTPWire

/// A UTC instant at one-second precision, as SigV4 writes it.
///
/// `X-Amz-Date` is `yyyyMMdd'T'HHmmss'Z'` and the credential scope uses `yyyyMMdd`.
/// Both are formatted with integer arithmetic (no `DateFormatter`), because they are on the
/// presigning hot path.
///
/// ```swift
/// let date = AmzDate(secondsSince1970: 1_369_353_600)
/// date.timestamp  // "20130524T000000Z"
/// date.dateStamp  // "20130524"
/// ```
public struct AmzDate: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSince1970: Int64

    /// Creates the instant `secondsSince1970` seconds after the Unix epoch.
    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// Creates the instant of `date`, truncated to whole seconds.
    public init(_ date: Date) {
        self.secondsSince1970 = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// Parses `yyyyMMdd'T'HHmmss'Z'` (for example `20130524T000000Z`); `nil` when malformed.
    public init?(timestamp: some StringProtocol) {
        let bytes = Array(timestamp.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        guard let year = CivilTime.digits(bytes, 0, 4), let month = CivilTime.digits(bytes, 4, 2), let day = CivilTime.digits(bytes, 6, 2),
            let hour = CivilTime.digits(bytes, 9, 2), let minute = CivilTime.digits(bytes, 11, 2), let second = CivilTime.digits(bytes, 13, 2),
            let seconds = CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        self.secondsSince1970 = seconds
    }

    /// The `Date` for this instant.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    /// `yyyyMMdd'T'HHmmss'Z'`, the `X-Amz-Date` value.
    public var timestamp: String { String(decoding: timestampBytes, as: UTF8.self) }

    /// `yyyy-MM-dd'T'HH:mm:ss'Z'` (ISO 8601 / RFC 3339 in UTC), without `DateFormatter`.
    public var iso8601: String {
        let t = timestampBytes
        var out: [UInt8] = []
        out.reserveCapacity(20)
        out += t[0..<4] + [0x2D] + t[4..<6] + [0x2D] + t[6..<8] + [0x54]
        out += t[9..<11] + [0x3A] + t[11..<13] + [0x3A] + t[13..<15] + [0x5A]
        return String(decoding: out, as: UTF8.self)
    }

    /// `yyyy-MM-dd'T'HH:mm:ss.000'Z'`, as S3's XML bodies and POST policies write times.
    public var iso8601Milliseconds: String { String(iso8601.dropLast()) + ".000Z" }

    /// Parses `2015-12-30T12:00:00Z` or `2015-12-30T12:00:00.000Z` (any fraction, dropped); `nil` when malformed.
    public init?(iso8601 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A,
            bytes.last == 0x5A
        else { return nil }
        let fraction = bytes[19..<(bytes.count - 1)]
        guard fraction.isEmpty || (fraction.first == 0x2E && fraction.count > 1 && fraction.dropFirst().allSatisfy { (0x30...0x39).contains($0) })
        else { return nil }
        var compact: [UInt8] = []
        for range in [0..<4, 5..<7, 8..<10] { compact.append(contentsOf: bytes[range]) }
        compact.append(0x54)
        for range in [11..<13, 14..<16, 17..<19] { compact.append(contentsOf: bytes[range]) }
        compact.append(0x5A)
        self.init(timestamp: String(decoding: compact, as: UTF8.self))
    }

    /// `yyyyMMdd`, the date of the credential scope.
    public var dateStamp: String { String(decoding: timestampBytes.prefix(8), as: UTF8.self) }

    /// The day number since the epoch; the signing key changes when it does.
    public var dayNumber: Int64 { CivilTime.floorDiv(secondsSince1970, 86_400) }

    /// The 16 ASCII bytes of ``timestamp``.
    public var timestampBytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 16) { out, count in
            write(into: out)
            count = 16
        }
    }

    /// The 16 bytes of ``timestamp``, formatted once and held inline, for callers that write them more than once.
    var inlineTimestamp: InlineTimestamp {
        var stamp = InlineTimestamp()
        withUnsafeMutableBytes(of: &stamp.storage) { write(into: $0.bindMemory(to: UInt8.self)) }
        return stamp
    }

    /// Appends the 16 bytes of ``timestamp`` to `buffer`.
    public func appendTimestamp(to buffer: inout [UInt8]) {
        buffer.writeInPlace(maximumCount: 16) { target in
            write(into: target)
            return 16
        }
    }

    /// Returns this instant moved by `seconds`.
    public func adding(seconds: Int64) -> AmzDate { AmzDate(secondsSince1970: secondsSince1970 + seconds) }

    public static func < (lhs: AmzDate, rhs: AmzDate) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    private func write(into out: UnsafeMutableBufferPointer<UInt8>) {
        let days = CivilTime.floorDiv(secondsSince1970, 86_400)
        let secondOfDay = secondsSince1970 - days * 86_400
        let (year, month, day) = CivilTime.civilFromDays(days)
        func put(_ value: Int64, at offset: Int, width: Int) { CivilTime.writeDigits(value, width: width, into: out, at: offset) }
        put(year, at: 0, width: 4)
        put(month, at: 4, width: 2)
        put(day, at: 6, width: 2)
        out[8] = UInt8(ascii: "T")
        put(secondOfDay / 3_600, at: 9, width: 2)
        put(secondOfDay / 60 % 60, at: 11, width: 2)
        put(secondOfDay % 60, at: 13, width: 2)
        out[15] = UInt8(ascii: "Z")
    }
}

/// The 16 ASCII bytes of an ``AmzDate``'s timestamp, without an allocation.
struct InlineTimestamp {
    var storage: (UInt64, UInt64) = (0, 0)

    /// Appends all 16 bytes, or the first 8 (the date stamp) when `dateOnly`.
    func append<Sink: ByteSink & ~Copyable>(to out: inout Sink, dateOnly: Bool = false) {
        withUnsafeBytes(of: storage) { raw in
            out.write(raw: UnsafeRawBufferPointer(rebasing: raw[0..<(dateOnly ? 8 : 16)]))
        }
    }
}
