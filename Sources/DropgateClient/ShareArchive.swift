import Foundation
import ZIPFoundation

/// `dropgate download --zip`: a share written as one ZIP, its folders kept, the same archive the share page builds
/// (entries stored as they are, CRC-32 checked, ZIP64 past 4 GiB), by ZIPFoundation. Each file is fetched to a private
/// scratch file, added, and deleted, so the disk holds the archive and one file at most; the archive is written to
/// `NAME.partial` and put in place only when whole, never over an existing file.
public enum ShareArchive {
    /// Writes `entries` to `path`; `fetch(index, scratchPath)` writes file `index` (checked whole) to `scratchPath`.
    public static func write(to path: String, entries: [ShareTree.Entry], fetch: (Int, String) throws -> Void) throws {
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: path) else { throw ClientError("\(path) exists already; choose another name.") }
        let partial = path + ".partial"
        guard !fileManager.fileExists(atPath: partial) else {
            throw ClientError("\(partial) is there from a run that stopped; delete it, then try again.")
        }
        var template = Array((NSTemporaryDirectory() + "dropgate-zip-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ClientError("Cannot make a scratch folder: \(String(cString: strerror(errno))).") }
        let scratch = String(cString: made)
        defer { try? fileManager.removeItem(atPath: scratch) }
        do {
            // In a scope of its own: the archive's file is closed when it ends, before it is put in place.
            try {
                let archive = try Archive(url: URL(fileURLWithPath: partial), accessMode: .create)
                for (index, entry) in entries.enumerated() {
                    let file = "\(scratch)/\(index)"
                    try fetch(index, file)
                    try archive.addEntry(with: entry.path, fileURL: URL(fileURLWithPath: file), compressionMethod: .none)
                    try fileManager.removeItem(atPath: file)
                }
            }()
            // link() refuses an existing name, so a file made meanwhile is never replaced.
            guard link(partial, path) == 0 else { throw ClientError("Cannot put the archive at \(path): \(String(cString: strerror(errno))).") }
            unlink(partial)
        } catch {
            try? fileManager.removeItem(atPath: partial)
            throw error
        }
    }
}
