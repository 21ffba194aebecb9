/// Allocation-light text helpers for hot paths (Foundation's `String(format:)` and `trimmingCharacters`
/// cost tens of microseconds each, which showed up in every request).
public enum ASCIIText {
    /// `text` without leading and trailing spaces, tabs, CR and LF.
    public static func trimmed(_ text: some StringProtocol) -> String {
        let bytes = Array(text.utf8)
        var start = 0
        var end = bytes.count
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// `text` without surrounding double quotes (an ETag's).
    public static func unquoted(_ text: some StringProtocol) -> String {
        let trimmed = trimmed(text)
        guard trimmed.utf8.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") else { return trimmed }
        return String(trimmed.dropFirst().dropLast())
    }
}
