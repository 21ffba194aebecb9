/// The `date/region/service/aws4_request` part of a credential.
public struct CredentialScope: Sendable, Hashable {
    /// `yyyyMMdd`.
    public var dateStamp: String
    public var region: String
    public var service: String

    public init(dateStamp: String, region: String, service: String) {
        self.dateStamp = dateStamp
        self.region = region
        self.service = service
    }

    /// `20130524/us-east-1/s3/aws4_request`.
    public var string: String { "\(dateStamp)/\(region)/\(service)/aws4_request" }

    /// Parses the credential `AKID/20130524/us-east-1/s3/aws4_request` into the key id and the scope.
    public static func parse(credential: some StringProtocol) -> (accessKeyID: String, scope: CredentialScope)? {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, !parts[0].isEmpty, parts[1].utf8.count == 8, parts[1].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            !parts[2].isEmpty, !parts[3].isEmpty, parts[4] == "aws4_request"
        else { return nil }
        return (String(parts[0]), CredentialScope(dateStamp: String(parts[1]), region: String(parts[2]), service: String(parts[3])))
    }
}
