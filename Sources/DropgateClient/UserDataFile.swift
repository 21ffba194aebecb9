import DropgateAPI
import Foundation
import Glibc

/// A JSON file of this user's that only they may read (mode 0600, in a 0700 folder), written whole: temporary file,
/// fsync, rename. `$<variable>` names it, else `$XDG_DATA_HOME/dropgate/<name>`, else `~/.local/share/dropgate/<name>`.
public struct UserDataFile<Contents: Codable>: Sendable {
    let path: String

    init(name: String, variable: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment[variable], !explicit.isEmpty {
            path = explicit
        } else {
            let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
            path = data + "/dropgate/" + name
        }
    }

    /// The contents; nil when the file does not exist yet.
    func load() throws -> Contents? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try APIJSON.decoder.decode(Contents.self, from: data)
        } catch {
            throw ClientError("\(path) is not a file dropgate wrote; move it away to start a new one.")
        }
    }

    func save(_ contents: Contents) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let body = try APIJSON.encoder.encode(contents)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ClientError("Cannot write \(temporary): \(String(cString: strerror(errno))).") }
        let written = (try? FileWrite.all(Array(body), to: fd)) != nil
        let synced = fsync(fd) == 0
        close(fd)
        guard written, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ClientError("Cannot write \(path): \(String(cString: strerror(errno))).")
        }
    }
}
