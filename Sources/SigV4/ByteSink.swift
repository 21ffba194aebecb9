/// Where SigV4's writers put bytes: an array, or a presign's own ``PresignBytes``.
///
/// The writers are generic over it, so that a presign writes into raw memory it owns (no uniqueness check and no
/// copy-on-write per append) while a verifier keeps its arrays, and both run one piece of code.
protocol ByteSink: ~Copyable {
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
    @inline(__always)
    mutating func write(utf8 text: String) {
        text.withUTF8Bytes { write($0) }
    }

    /// Writes a literal's UTF-8 with one copy and no reference counting.
    @inline(__always)
    mutating func write(literal: StaticString) {
        literal.withUTF8Buffer { write($0) }
    }

    /// Writes the bytes of an array.
    @inline(__always)
    mutating func write(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write($0) }
    }

    /// Writes raw bytes (a digest's, a timestamp's).
    @inline(__always)
    mutating func write(raw: UnsafeRawBufferPointer) {
        write(raw.assumingMemoryBound(to: UInt8.self))
    }

    /// Writes `value` in decimal digits; it is not negative.
    @inline(__always)
    mutating func write(decimal value: Int) {
        writeInPlace(maximumCount: 20) { target in
            var digits = 1
            var rest = value.magnitude / 10
            while rest > 0 {
                digits &+= 1
                rest /= 10
            }
            rest = value.magnitude
            for index in stride(from: digits - 1, through: 0, by: -1) {
                target[index] = UInt8(truncatingIfNeeded: 0x30 &+ rest % 10)
                rest /= 10
            }
            return digits
        }
    }
}

extension Array: ByteSink where Element == UInt8 {
    @inline(__always)
    mutating func write(_ byte: UInt8) { append(byte) }

    @inline(__always)
    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }

    @inline(__always)
    mutating func writeInPlace(maximumCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        appendInPlace(maximumCount: maximumCount, body)
    }

    @inline(__always)
    mutating func writeCopy(of range: Range<Int>) { appendCopy(of: range) }
}
