/// Byte-building helpers for the hot paths of every module; `@inlinable`, so that other modules get them
/// specialized and inlined rather than as generic calls.
extension Array where Element == UInt8 {
    /// Appends `text`'s UTF-8 with one copy (a native string's bytes are contiguous), instead of walking its
    /// `utf8` view byte by byte.
    @inlinable @inline(__always)
    public mutating func append(utf8 text: String) {
        text.withUTF8Bytes { append(contentsOf: $0) }
    }

    /// Appends a literal's UTF-8 with one copy and no reference counting.
    @inlinable @inline(__always)
    public mutating func append(literal: StaticString) {
        literal.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// Appends `value` in decimal digits, with a minus sign when negative.
    @inlinable
    public mutating func append(decimal value: Int64) {
        if value < 0 { append(0x2D) }
        var rest = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
                rest /= 10
            } while rest > 0
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }
}

extension String {
    /// Calls `body` with the string's UTF-8, borrowed when the string is native (no copy, no retain), copied once
    /// otherwise (a bridged string).
    @inlinable @inline(__always)
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
