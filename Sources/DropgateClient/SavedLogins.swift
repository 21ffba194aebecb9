import Foundation

/// The personal tokens `dropgate login` received, one per gateway, in a file only this user may read (mode 0600):
/// `$DROPGATE_LOGINS_FILE`, else `~/.local/share/dropgate/logins.json`.
public struct SavedLogins: Sendable {
    let file: UserDataFile<[String: String]>

    public var path: String { file.path }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        file = UserDataFile(name: "logins.json", variable: "DROPGATE_LOGINS_FILE", environment: environment)
    }

    /// The token kept for `gateway` (its base URL), if any.
    public func token(for gateway: String) throws -> String? { try file.load()?[gateway] }

    /// Keeps `token` for `gateway`, or forgets it with nil.
    public func set(_ token: String?, for gateway: String) throws {
        var logins = try file.load() ?? [:]
        logins[gateway] = token
        try file.save(logins)
    }
}
