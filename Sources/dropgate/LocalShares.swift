import DropgateAPI
import Foundation
import Glibc

/// The shares this user's `dropgate upload` made, with their delete tokens, so that `dropgate revoke LINK` works
/// later: `$DROPGATE_SHARES_FILE`, else `$XDG_DATA_HOME/dropgate/shares.json`, else `~/.local/share/dropgate/shares.json`
/// (mode 0600; the tokens can revoke the shares).
struct LocalShares {
    struct Entry: Codable, Equatable {
        var filename: String
        var deleteToken: String
        var expiresAt: Date
    }

    let path: String

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment["DROPGATE_SHARES_FILE"], !explicit.isEmpty {
            path = explicit
        } else {
            let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
            path = data + "/dropgate/shares.json"
        }
    }

    /// Every share kept, by link; none when the file does not exist yet.
    func load() throws -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        do {
            return try APIJSON.decoder.decode([String: Entry].self, from: data)
        } catch {
            throw CLIError("\(path) is not a file of shares dropgate wrote; move it away to start a new one.")
        }
    }

    /// Writes `shares` whole (temporary file, fsync, rename), readable by this user only.
    func save(_ shares: [String: Entry]) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let body = try APIJSON.encoder.encode(shares)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("Cannot write \(temporary): \(String(cString: strerror(errno))).") }
        let written = body.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == body.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CLIError("Cannot write \(path): \(String(cString: strerror(errno))).")
        }
    }

    /// Adds one share (and forgets the ones that have expired, so the file does not grow forever).
    func remember(_ link: String, _ entry: Entry, now: Date = Date()) throws {
        var shares = try load().filter { $0.value.expiresAt > now }
        shares[link] = entry
        try save(shares)
    }
}
