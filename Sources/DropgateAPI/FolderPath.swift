/// The folder a file of a collection sits in (`photos/2026/june`), relative to the collection: the gateway, the CLI
/// and the pages check it by the same rules, and every reader checks it again before it makes a folder of it, since a
/// path from a server (or from a sealed manifest the gateway never read) is as hostile as any input.
public enum FolderPath {
    /// The most folder levels a file may sit under.
    public static let maximumDepth = 32
    /// The longest path, in UTF-8 bytes, and the longest name of one folder.
    public static let maximumBytes = 1_024
    public static let maximumPartBytes = 255

    /// The folder names of `path`, top first (`[]` for the collection's top level), or why it is refused: a sentence
    /// that names `file`.
    public static func parts(_ path: String, of file: String) -> Result<[String], Refusal> {
        if path.isEmpty { return .success([]) }
        let refuse = { (why: Wording) in
            Result<[String], Refusal>.failure(Refusal(message: "\(path, as: "path")/\(file, as: "file"): \(why, as: "why")"))
        }
        guard path.utf8.count <= maximumBytes else { return refuse("a folder path is at most \(maximumBytes, as: "most") bytes.") }
        guard path.utf8.first != 0x2F else { return refuse("an absolute path is not a folder of the collection.") }
        var parts: [String] = []
        var current = ""
        for scalar in path.unicodeScalars {
            if scalar == "/" {
                parts.append(current)
                current = ""
                guard parts.count <= maximumDepth else { return refuse("folders may be at most \(maximumDepth, as: "most") levels deep.") }
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        parts.append(current)
        guard parts.count <= maximumDepth else { return refuse("folders may be at most \(maximumDepth, as: "most") levels deep.") }
        for part in parts {
            if part.isEmpty { return refuse("a folder name is empty (two slashes, or one at the end).") }
            if part == "." || part == ".." { return refuse("a folder may not be named '\(part, as: "name")'.") }
            if part.utf8.count > maximumPartBytes { return refuse("a folder name is at most \(maximumPartBytes, as: "most") bytes.") }
            if let bad = part.unicodeScalars.first(where: isRefused) {
                let code = "U+" + String(bad.value, radix: 16, uppercase: true)
                return refuse("a folder name holds \(code, as: "character"), a control or direction character, or a backslash.")
            }
        }
        return .success(parts)
    }

    /// Control characters (NUL included), the backslash (a separator to Windows) and the marks that reorder text.
    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar == "\\"
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) || scalar.value == 0x200E
            || scalar.value == 0x200F || scalar.value == 0x061C
    }

    /// Why a folder path was refused.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The sentence, naming the path and the file.
        public var message: Wording
        public var description: String { message.english }
    }
}
