/// Where the gateway's randomness comes from (object keys, generated secrets): the system's generator, or in tests
/// a source they control, so keys are exact.
public struct RandomBytes: Sendable {
    let bytes: @Sendable (Int) -> [UInt8]

    /// - Parameter bytes: `count` random bytes.
    public init(_ bytes: @escaping @Sendable (Int) -> [UInt8]) { self.bytes = bytes }

    /// The system's cryptographically secure generator.
    public static let system = RandomBytes { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
