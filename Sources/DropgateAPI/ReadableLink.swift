/// The shape of a share's readable link (`/s/quarterly-report`, `/s/amber-otter-river-…`): lowercase letters, digits
/// and single inner hyphens, 3 to 110 characters. The gateway keeps no other name, and clients look up no other.
public enum ReadableLink {
    /// The shortest and longest name a link may have.
    public static let length = 3...110

    /// Whether `name` has the shape of a readable link, checked byte by byte.
    public static func isWellFormed<Name: StringProtocol>(_ name: Name) -> Bool {
        let bytes = Array(name.utf8)
        guard length.contains(bytes.count), bytes.first != 0x2D, bytes.last != 0x2D else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            let letterOrDigit = (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
            guard letterOrDigit || (byte == 0x2D && previous != 0x2D) else { return false }
            previous = byte
        }
        return true
    }
}
