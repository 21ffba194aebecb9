import Foundation
import Glibc

/// Multipart uploads `dropgate upload` began and has not finished, so running it again on the same file continues
/// where it stopped: `$DROPGATE_UPLOADS_FILE`, else `uploads.json` beside ``LocalShares``' file. Only the upload id
/// and its shape are kept (no URL): fresh part URLs come from the gateway.
public struct UploadJournal: Sendable {
    struct Entry: Codable, Equatable {
        var gateway: String
        var uploadID: String
        var size: Int64
        /// The file's modification time, in nanoseconds since 1970: a changed file starts over.
        var modified: Int64
        var partSize: Int64
        /// How many parts the plan has.
        var parts: Int
        var resumableUntil: Date
        /// For an encrypted upload, the key and prefix it was sealed with: sealing again with them gives the same bytes.
        var sealing: UploadItem.Sealing? = nil
    }

    let file: UserDataFile<[String: Entry]>

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        file = UserDataFile(name: "uploads.json", variable: "DROPGATE_UPLOADS_FILE", environment: environment)
    }

    /// The unfinished upload of this file to this gateway, if one can still be resumed.
    func entry(for path: String, gateway: String, size: Int64, modified: Int64, now: Date = Date()) -> Entry? {
        guard let entries = try? file.load(), let entry = entries[Self.key(path)] else { return nil }
        guard entry.gateway == gateway, entry.size == size, entry.modified == modified, entry.resumableUntil > now else { return nil }
        return entry
    }

    /// The unfinished upload of this file to this gateway, whatever the file is now (to abort one that will not go on).
    func entry(for path: String, gateway: String, now: Date = Date()) -> Entry? {
        guard let entries = try? file.load(), let entry = entries[Self.key(path)], entry.gateway == gateway, entry.resumableUntil > now else {
            return nil
        }
        return entry
    }

    /// The key, prefix and plaintext digest an unfinished encrypted upload of this file was sealed with; the caller
    /// seals with them again only for the same plaintext.
    public func sealing(for path: String, gateway: String, now: Date = Date()) -> UploadItem.Sealing? {
        entry(for: path, gateway: gateway, now: now)?.sealing
    }

    /// Keeps (or, with nil, forgets) the upload of `path`; expired entries are dropped on the way.
    func set(_ entry: Entry?, for path: String, now: Date = Date()) throws {
        var entries = (try? file.load() ?? [:]) ?? [:]
        entries = entries.filter { $0.value.resumableUntil > now }
        entries[Self.key(path)] = entry
        try file.save(entries)
    }

    /// The file's absolute path, so a run from another folder finds it.
    static func key(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
