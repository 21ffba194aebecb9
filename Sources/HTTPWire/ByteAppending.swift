extension Array where Element == UInt8 {
    /// Appends `text`'s UTF-8 with one copy (a native string's bytes are contiguous), instead of walking its
    /// `utf8` view byte by byte.
    @inline(__always)
    public mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends a literal's UTF-8 with one copy and no reference counting.
    @inline(__always)
    public mutating func append(literal: StaticString) {
        literal.withUTF8Buffer { append(contentsOf: $0) }
    }
}
