/// Where the gateway's randomness comes from (object keys, generated secrets): the system's generator, or in tests
/// a source they control, so keys are exact.
public struct RandomBytes: Sendable {
    let bytes: @Sendable (Int) -> [UInt8]

    /// - Parameter bytes: `count` random bytes.
    public init(_ bytes: @escaping @Sendable (Int) -> [UInt8]) { self.bytes = bytes }

    /// The system's cryptographically secure generator.
    public static let system = RandomBytes { count in
        // Eight bytes per call of the generator (one getrandom(2) each), not one.
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count { withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) } }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}
