import DropgateAPI
import Foundation

/// `dropgate upload DIR`: the files under a folder, each with the folder it sits in (the folder's own name first), so
/// the share keeps the tree. Paths are checked as the gateway checks them, and a walk stops at 32 levels and 1,000
/// files: a bound passed, or a bad name, refuses the whole upload before anything is sent. Links, devices and sockets
/// are skipped, each with a line saying so.
struct FolderWalk {
    struct Found {
        var path: String
        /// Nil for a file named on the command line.
        var folder: String?
    }

    static let maximumFiles = 1_000

    /// The files `arguments` name: files as they are, folders walked.
    static func expand(_ arguments: [String]) throws -> [Found] {
        var found: [Found] = []
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder), isFolder.boolValue else {
                found.append(Found(path: argument, folder: nil))
                continue
            }
            let top = URL(fileURLWithPath: argument).standardizedFileURL.lastPathComponent
            try walk(argument, folder: top, depth: 1, into: &found)
        }
        guard found.count <= maximumFiles else {
            throw CLIError("A share holds at most \(maximumFiles) files; these are \(found.count). Nothing was uploaded.")
        }
        return found
    }

    static func walk(_ directory: String, folder: String, depth: Int, into found: inout [Found]) throws {
        guard depth <= FolderPath.maximumDepth else {
            throw CLIError("\(folder): folders may be at most \(FolderPath.maximumDepth) levels deep. Nothing was uploaded.")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw CLIError("Cannot read the folder \(directory). Nothing was uploaded.")
        }
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(path, &info) == 0 else { throw CLIError("Cannot read \(path). Nothing was uploaded.") }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try walk(path, folder: folder + "/" + name, depth: depth + 1, into: &found)
            case S_IFREG:
                if case .failure(let refusal) = FolderPath.parts(folder, of: name) { throw CLIError("\(refusal.message) Nothing was uploaded.") }
                found.append(Found(path: path, folder: folder))
                guard found.count <= maximumFiles else {
                    throw CLIError("A share holds at most \(maximumFiles) files; \(folder) has more. Nothing was uploaded.")
                }
            default:
                FileHandle.standardError.write(Data("dropgate: skipped \(path): not a regular file (a link, a device or a socket).\n".utf8))
            }
        }
    }
}
