import Foundation

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
        guard let year = Self.digits(bytes, 0, 4), let month = Self.digits(bytes, 4, 2), let day = Self.digits(bytes, 6, 2),
            let hour = Self.digits(bytes, 9, 2), let minute = Self.digits(bytes, 11, 2), let second = Self.digits(bytes, 13, 2)
        else { return nil }
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        self.secondsSince1970 = days * 86_400 + hour * 3_600 + minute * 60 + second
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
    public var dayNumber: Int64 { Self.floorDiv(secondsSince1970, 86_400) }

    /// The 16 ASCII bytes of ``timestamp``.
    public var timestampBytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        writeTimestamp(into: &out)
        return out
    }

    /// Appends the 16 bytes of ``timestamp`` to `buffer`.
    public func appendTimestamp(to buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: 16))
        buffer.withUnsafeMutableBufferPointer { pointer in
            let slice = UnsafeMutableBufferPointer(rebasing: pointer[start..<(start + 16)])
            write(into: slice)
        }
    }

    /// Returns this instant moved by `seconds`.
    public func adding(seconds: Int64) -> AmzDate { AmzDate(secondsSince1970: secondsSince1970 + seconds) }

    public static func < (lhs: AmzDate, rhs: AmzDate) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    private func writeTimestamp(into out: inout [UInt8]) {
        out.withUnsafeMutableBufferPointer { write(into: $0) }
    }

    private func write(into out: UnsafeMutableBufferPointer<UInt8>) {
        let days = Self.floorDiv(secondsSince1970, 86_400)
        let secondOfDay = secondsSince1970 - days * 86_400
        let (year, month, day) = Self.civilFromDays(days)
        func put(_ value: Int64, at offset: Int, width: Int) {
            var value = value
            var index = offset + width - 1
            while index >= offset {
                out[index] = UInt8(truncatingIfNeeded: 0x30 + value % 10)
                value /= 10
                index -= 1
            }
        }
        put(year, at: 0, width: 4)
        put(month, at: 4, width: 2)
        put(day, at: 6, width: 2)
        out[8] = UInt8(ascii: "T")
        put(secondOfDay / 3_600, at: 9, width: 2)
        put(secondOfDay / 60 % 60, at: 11, width: 2)
        put(secondOfDay % 60, at: 13, width: 2)
        out[15] = UInt8(ascii: "Z")
    }

    private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for byte in bytes[start..<(start + count)] {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's `days_from_civil`: days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Howard Hinnant's `civil_from_days`, the inverse of ``daysFromCivil(year:month:day:)``.
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
