/// Writes bytes one after another into a buffer sized for them beforehand (a string's storage being built in place).
struct ByteCursor {
    let target: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ target: UnsafeMutableBufferPointer<UInt8>) { self.target = target }

    /// Writes `range` of `source`.
    @inline(__always)
    mutating func write(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        guard !range.isEmpty, let from = source.baseAddress, let to = target.baseAddress else { return }
        precondition(count + range.count <= target.count, "ByteCursor overflow")
        (to + count).update(from: from + range.lowerBound, count: range.count)
        count += range.count
    }

    /// Writes `text`'s UTF-8.
    @inline(__always)
    mutating func write(_ text: String) {
        text.withUTF8Bytes { write($0, $0.indices) }
    }
}
