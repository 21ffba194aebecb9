/// The server could not be reached or the transfer failed: which endpoint, and why.
public struct NetworkError: Error, Sendable, Hashable, CustomStringConvertible {
    public var endpoint: String
    public var reason: String
    /// libcurl's CURLcode (28 is a timeout, 7 a refused connection).
    public var curlCode: Int

    public init(endpoint: String, reason: String, curlCode: Int) {
        self.endpoint = endpoint
        self.reason = reason
        self.curlCode = curlCode
    }

    public var description: String { "Cannot reach \(endpoint): \(reason)." }
}
