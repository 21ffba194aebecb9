/// An access key pair, with the session token of temporary credentials.
public struct Credentials: Sendable, Hashable {
    /// The access key id, for example `AKIAIOSFODNN7EXAMPLE`. It appears in every signature.
    public var accessKeyID: String
    /// The secret key. It never leaves this process: only HMACs derived from it do.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `X-Amz-Security-Token`.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

extension Credentials: CustomStringConvertible, CustomDebugStringConvertible {
    /// Names the access key only, so that credentials can be logged or interpolated safely.
    public var description: String { "Credentials(accessKeyID: \(accessKeyID), secret: <redacted>)" }
    public var debugDescription: String { description }
}
