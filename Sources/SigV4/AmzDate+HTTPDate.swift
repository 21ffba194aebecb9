extension AmzDate {
    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7), the form of a `Date` header, by
    /// position and without a formatter; nil when malformed.
    public init?(httpDate text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 29, bytes[3] == 0x2C, bytes[4] == 0x20, bytes[7] == 0x20, bytes[11] == 0x20, bytes[16] == 0x20,
            bytes[19] == 0x3A, bytes[22] == 0x3A, bytes[25...] == [0x20, 0x47, 0x4D, 0x54][...],
            Self.weekdays.contains(String(decoding: bytes[0..<3], as: UTF8.self)),
            let month = Self.months.firstIndex(of: String(decoding: bytes[8..<11], as: UTF8.self))
        else { return nil }
        let monthDigits = Array(String(month + 1 < 10 ? "0\(month + 1)" : "\(month + 1)").utf8)
        var compact: [UInt8] = Array(bytes[12..<16]) + monthDigits + Array(bytes[5..<7]) + [0x54]
        compact += Array(bytes[17..<19]) + Array(bytes[20..<22]) + Array(bytes[23..<25]) + [0x5A]
        self.init(timestamp: String(decoding: compact, as: UTF8.self))
    }

    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
