import DropgateAPI
import Foundation

/// Where each file of a share goes in a folder tree or a ZIP: under its folders, checked as the gateway checks them
/// (a server, or a sealed manifest the gateway never read, may lie), with its safe name, unique in its folder (`a (2).txt`
/// for a second `a.txt`, whatever the case). The share page's archive names its entries by the same rules.
public struct ShareTree {
    public struct Entry: Equatable, Sendable {
        public var folders: [String]
        public var name: String
        /// Its path in an archive: folders and name joined by `/`.
        public var path: String { (folders + [name]).joined(separator: "/") }
    }

    public var entries: [Entry]

    /// Whether any file sits in a folder.
    public var hasFolders: Bool { entries.contains { !$0.folders.isEmpty } }

    /// Refuses the whole share, naming the file, when any folder is refused: nothing is written for a share that lies.
    public init(files: [(name: String, folder: String?)]) throws {
        var taken: Set<String> = []
        entries = try files.enumerated().map { index, file in
            let folders: [String]
            switch FolderPath.parts(file.folder ?? "", of: file.name) {
            case .success(let parts): folders = parts
            case .failure(let refusal): throw ClientError("The share names a folder that cannot be used: \(refusal.message)")
            }
            let safe = OutputPaths.safeName(file.name, number: index + 1)
            var entry = Entry(folders: folders, name: safe)
            var copy = 1
            while taken.contains(entry.path.lowercased()) {
                copy += 1
                entry.name = OutputPaths.numbered(safe, copy)
            }
            taken.insert(entry.path.lowercased())
            return entry
        }
    }

    /// The path of each entry under `folder`, its folders made as needed: each one a real folder (a link or a file of
    /// that name is refused, so nothing is written through a link), never over an existing file (`name (2).ext`).
    public func paths(under folder: String, fileManager: FileManager = .default) throws -> [String] {
        try entries.map { entry in
            var directory = folder
            for part in entry.folders {
                directory = (directory as NSString).appendingPathComponent(part)
                var info = stat()
                if lstat(directory, &info) == 0 {
                    guard info.st_mode & S_IFMT == S_IFDIR else {
                        throw ClientError("\(directory) exists and is not a folder; choose another place.")
                    }
                } else {
                    try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: false)
                }
            }
            var candidate = entry.name
            var copy = 1
            while fileManager.fileExists(atPath: (directory as NSString).appendingPathComponent(candidate)) {
                copy += 1
                candidate = OutputPaths.numbered(entry.name, copy)
            }
            return (directory as NSString).appendingPathComponent(candidate)
        }
    }
}
