/// Lowercase hexadecimal, as SigV4 writes hashes and signatures and the store writes ETags (`Hex.string(digest)`, `Hex.decode("0aff")`).
public enum Hex {
    /// Whether `byte` is one of `0-9a-f`.
    public static func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// Appends the lowercase hex of `bytes` to `buffer`.
    public static func append(_ bytes: some Sequence<UInt8>, to buffer: inout [UInt8]) {
        for byte in bytes {
            buffer.append(digit(byte >> 4))
            buffer.append(digit(byte & 0x0F))
        }
    }

    /// The lowercase hex digit of `nibble` (0...15), computed without a table or a branch: `(nibble + 6) >> 4` is 1
    /// exactly from 10 up, which moves the digit from `:` on to `a`.
    @inline(__always)
    public static func digit(_ nibble: UInt8) -> UInt8 {
        nibble &+ 0x30 &+ ((nibble &+ 6) >> 4) &* 0x27
    }

    /// The lowercase hex of `bytes`.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case); `nil` when malformed.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var index = 0
        while index < bytes.count {
            guard let high = HexDigit.value(bytes[index]), let low = HexDigit.value(bytes[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

}
