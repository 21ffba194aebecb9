extension Array where Element == UInt8 {
    /// Appends at most `maximumCount` bytes written by `body` straight into the array's storage;
    /// `body` returns how many it wrote. One capacity check instead of one per byte.
    @inline(__always)
    mutating func appendInPlace(maximumCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        let start = count
        append(contentsOf: repeatElement(0, count: maximumCount))
        let written = withUnsafeMutableBufferPointer { all in
            body(UnsafeMutableBufferPointer(rebasing: all[start..<(start + maximumCount)]))
        }
        removeLast(maximumCount - written)
    }
}
