/// Where random bytes come from: the system's generator, or a fixed sequence in tests.
public struct RandomBytes: Sendable {
    let bytes: @Sendable (Int) -> [UInt8]

    /// - Parameter bytes: `count` random bytes.
    public init(_ bytes: @escaping @Sendable (Int) -> [UInt8]) { self.bytes = bytes }

    /// The standard library's cryptographically secure generator (the kernel's `getrandom`), eight bytes a draw.
    public static let system = RandomBytes { count in
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            let word: UInt64 = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) where bytes.count < count { bytes.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return bytes
    }
}
