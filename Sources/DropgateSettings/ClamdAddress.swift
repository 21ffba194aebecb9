/// Where clamd listens (`uploads.scan.clamd`): `tcp://127.0.0.1:3310` or `unix:/run/clamav/clamd.ctl`.
public enum ClamdAddress: Sendable, Equatable {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// The address `text` names; nil when malformed.
    public init?(_ text: String) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard path.hasPrefix("/"), path.utf8.count < 100 else { return nil }
            self = .unix(path: path)
        } else if text.hasPrefix("tcp://") {
            let rest = text.dropFirst("tcp://".count)
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(port),
                !rest[..<colon].isEmpty
            else { return nil }
            self = .tcp(host: String(rest[..<colon]), port: port)
        } else {
            return nil
        }
    }
}
