extension Array where Element == UInt8 {
    /// Appends at most `maximumCount` bytes written by `body`; `body` returns how many it wrote.
    ///
    /// The bytes are written into stack scratch space (heap beyond a few KiB) and appended with one copy, so there
    /// is one capacity check, not one per byte, and no zero-filling of the array.
    @inline(__always)
    mutating func appendInPlace(maximumCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        guard maximumCount > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumCount) { scratch in
            let written = body(scratch)
            append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<written]))
        }
    }

    /// Appends a copy of this array's own bytes at `range` (which lies before the end), without the copy of the whole
    /// array that appending a slice of itself would make.
    @inline(__always)
    mutating func appendCopy(of range: Range<Int>) {
        guard !range.isEmpty else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: range.count) { scratch in
            _ = withUnsafeBufferPointer { own in scratch.initialize(from: UnsafeBufferPointer(rebasing: own[range])) }
            append(contentsOf: UnsafeBufferPointer(scratch))
        }
    }
}

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
