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
