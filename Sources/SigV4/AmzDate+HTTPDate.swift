import HTTPWire

extension AmzDate {
    /// Parses a request's `Date` as S3 takes it, by position and without a formatter: an IMF-fixdate
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7) or RFC 1123 with a numeric zone (`… 08:49:37 +0000`);
    /// nil when malformed.
    public init?(httpDate text: some StringProtocol) {
        guard let seconds = CivilTime.secondsSince1970(rfc1123: text) else { return nil }
        self.init(secondsSince1970: seconds)
    }
}
