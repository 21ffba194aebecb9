/// Where byte writers put bytes: an array, or a buffer of raw memory a hot path owns (SigV4's presign buffer).
///
/// Writers are generic over it, so that a presign writes into raw memory it owns (no uniqueness check and no
/// copy-on-write per append) while everything else writes into arrays, and both run one piece of code. It is the one
/// byte-writing kit of the project, with the one decimal writer.
public protocol ByteSink: ~Copyable {
    /// How many bytes have been written.
    var count: Int { get }
    /// Writes one byte.
    mutating func write(_ byte: UInt8)
    /// Writes contiguous bytes.
    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>)
    /// Writes at most `maximumCount` bytes that `body` writes into the room it is given, and returns the count of.
    mutating func writeInPlace(maximumCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int)
    /// Writes a copy of the bytes already written at `range`.
    mutating func writeCopy(of range: Range<Int>)
}

extension ByteSink where Self: ~Copyable {
    /// Writes `text`'s UTF-8 with one copy.
    @inlinable
    public mutating func write(utf8 text: String) {
        text.withUTF8Bytes { write($0) }
    }

    /// Writes a literal's UTF-8 with one copy and no reference counting.
    @inlinable
    public mutating func write(literal: StaticString) {
        literal.withUTF8Buffer { write($0) }
    }

    /// Writes the bytes of an array.
    @inlinable
    public mutating func write(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write($0) }
    }

    /// Writes raw bytes (a digest's, a timestamp's).
    @inlinable
    public mutating func write(raw: UnsafeRawBufferPointer) {
        write(raw.assumingMemoryBound(to: UInt8.self))
    }

    /// Writes `value` in decimal digits, with a minus sign when negative.
    @inlinable
    public mutating func write(decimal value: Int64) {
        writeInPlace(maximumCount: 20) { target in
            let sign = value < 0 ? 1 : 0
            var digits = 1
            var rest = value.magnitude / 10
            while rest > 0 {
                digits &+= 1
                rest /= 10
            }
            if sign == 1 { target[0] = 0x2D }
            rest = value.magnitude
            for index in stride(from: sign + digits - 1, through: sign, by: -1) {
                target[index] = UInt8(truncatingIfNeeded: 0x30 &+ rest % 10)
                rest /= 10
            }
            return sign + digits
        }
    }
}

extension Array: ByteSink where Element == UInt8 {
    @inlinable
    public mutating func write(_ byte: UInt8) { append(byte) }

    @inlinable
    public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }

    @inlinable
    public mutating func writeInPlace(maximumCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        appendInPlace(maximumCount: maximumCount, body)
    }

    @inlinable
    public mutating func writeCopy(of range: Range<Int>) { appendCopy(of: range) }
}

extension Array where Element == UInt8 {
    /// Appends at most `maximumCount` bytes written by `body`; `body` returns how many it wrote.
    ///
    /// The bytes are written into stack scratch space (heap beyond a few KiB) and appended with one copy, so there
    /// is one capacity check, not one per byte, and no zero-filling of the array.
    @inlinable
    mutating func appendInPlace(maximumCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        guard maximumCount > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumCount) { scratch in
            let written = body(scratch)
            append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<written]))
        }
    }

    /// Appends a copy of this array's own bytes at `range` (which lies before the end), without the copy of the whole
    /// array that appending a slice of itself would make.
    @inlinable
    mutating func appendCopy(of range: Range<Int>) {
        guard !range.isEmpty else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: range.count) { scratch in
            _ = withUnsafeBufferPointer { own in scratch.initialize(from: UnsafeBufferPointer(rebasing: own[range])) }
            append(contentsOf: UnsafeBufferPointer(scratch))
        }
    }
}
