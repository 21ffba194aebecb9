/// One line of the access log: what was asked, what was answered, how long it took.
public struct AccessLogEntry: Sendable {
    public var method: String
    /// The target with the values of the handler's ``HTTPHandler/redactedQueryParameters`` replaced.
    public var target: String
    public var status: Int
    /// Response body bytes sent.
    public var bytesSent: Int64
    public var durationSeconds: Double
    public var remoteAddress: String

    /// `GET /s/abc 200 1234B 0.8ms 127.0.0.1:5555`.
    public var line: String {
        let milliseconds = (durationSeconds * 10_000).rounded() / 10
        return "\(method) \(target) \(status) \(bytesSent)B \(milliseconds)ms \(remoteAddress)"
    }

    /// Replaces the values of `parameters` (lowercase names) in a target or URL with `REDACTED`.
    public static func redact(_ target: String, parameters: Set<String>) -> String {
        guard !parameters.isEmpty, let mark = target.firstIndex(of: "?") else { return target }
        let query = target[target.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return parameters.contains(name.lowercased()) ? "\(name)=REDACTED" : String(pair)
        }
        return String(target[...mark]) + query.joined(separator: "&")
    }
}
