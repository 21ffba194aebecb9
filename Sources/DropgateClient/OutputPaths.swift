import Foundation

/// Where `dropgate download` writes each file: under its own name (made safe: a stranger chose it) in the current
/// folder or `-o FOLDER`, or at `-o FILE` for a one-file share; never over an existing file (`name (2).ext` instead).
public struct OutputPaths {
    public var paths: [String]

    public init(output: String?, names: [String], fileManager: FileManager = .default) throws {
        var isFolder: ObjCBool = false
        let exists = output.map { fileManager.fileExists(atPath: $0, isDirectory: &isFolder) } ?? false
        if let output, names.count == 1, !output.hasSuffix("/"), !(exists && isFolder.boolValue) {
            guard !exists else { throw ClientError("\(output) exists already; choose another name or a folder.") }
            paths = [output]
            return
        }
        let folder = output ?? fileManager.currentDirectoryPath
        if !exists, output != nil {
            try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var taken: Set<String> = []
        paths = names.enumerated().map { index, name in
            let safe = Self.safeName(name, number: index + 1)
            var candidate = safe
            var copy = 1
            while taken.contains(candidate) || fileManager.fileExists(atPath: (folder as NSString).appendingPathComponent(candidate)) {
                copy += 1
                candidate = Self.numbered(safe, copy)
            }
            taken.insert(candidate)
            return (folder as NSString).appendingPathComponent(candidate)
        }
    }

    /// `name (copy).ext`, the name of a further file of the same name.
    public static func numbered(_ name: String, _ copy: Int) -> String {
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        return ext.isEmpty ? "\(name) (\(copy))" : "\(base) (\(copy)).\(ext)"
    }

    /// The last path part of `name`, without control characters or leading dots, at most 200 bytes; `file-N` if empty.
    public static func safeName(_ name: String, number: Int) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var cleaned = String(String.UnicodeScalarView(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        while cleaned.hasPrefix(".") { cleaned.removeFirst() }
        while cleaned.utf8.count > 200 { cleaned.removeFirst() }
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "file-\(number)" : cleaned
    }
}
