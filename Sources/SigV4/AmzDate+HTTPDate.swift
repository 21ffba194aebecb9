import HTTPWire

extension AmzDate {
    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7), the form of a `Date` header, by
    /// position and without a formatter; nil when malformed.
    public init?(httpDate text: some StringProtocol) {
        guard let seconds = CivilTime.secondsSince1970(imfFixdate: text) else { return nil }
        self.init(secondsSince1970: seconds)
    }
}
