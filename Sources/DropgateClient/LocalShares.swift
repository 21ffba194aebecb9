import DropgateAPI
import Foundation

/// The shares this user's `dropgate upload` made, with their delete tokens, so that `dropgate revoke LINK` works
/// later: `$DROPGATE_SHARES_FILE`, else `$XDG_DATA_HOME/dropgate/shares.json`, else `~/.local/share/dropgate/shares.json`
/// (mode 0600; the tokens can revoke the shares).
public struct LocalShares: Sendable {
    /// One share: the names it holds, the token that revokes it, and when it expires.
    public struct Entry: Codable, Equatable, Sendable {
        public var filename: String
        public var deleteToken: String
        public var expiresAt: Date

        public init(filename: String, deleteToken: String, expiresAt: Date) {
            self.filename = filename
            self.deleteToken = deleteToken
            self.expiresAt = expiresAt
        }
    }

    let file: UserDataFile<[String: Entry]>

    public var path: String { file.path }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        file = UserDataFile(name: "shares.json", variable: "DROPGATE_SHARES_FILE", environment: environment)
    }

    /// Every share kept, by link; none when the file does not exist yet.
    public func load() throws -> [String: Entry] { try file.load() ?? [:] }

    /// Writes `shares` whole, readable by this user only.
    public func save(_ shares: [String: Entry]) throws { try file.save(shares) }

    /// Adds one share (and forgets the ones that have expired, so the file does not grow forever).
    public func remember(_ link: String, _ entry: Entry, now: Date = Date()) throws {
        var shares = try load().filter { $0.value.expiresAt > now }
        shares[link] = entry
        try save(shares)
    }
}
