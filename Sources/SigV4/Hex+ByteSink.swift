extension Hex {
    /// Appends the lowercase hex of a digest or key's bytes.
    @inline(__always)
    static func append<Sink: ByteSink & ~Copyable>(raw bytes: UnsafeRawBufferPointer, to buffer: inout Sink) {
        buffer.writeInPlace(maximumCount: bytes.count * 2) { target in
            for offset in 0..<bytes.count {
                let byte = bytes[offset]
                target[offset &* 2] = digit(byte >> 4)
                target[offset &* 2 &+ 1] = digit(byte & 0x0F)
            }
            return bytes.count * 2
        }
    }
}
