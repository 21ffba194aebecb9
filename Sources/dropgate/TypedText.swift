import Foundation

/// The text `dropgate upload --text` shares: standard input, checked to be UTF-8 and bounded, written to `text.txt`
/// (`text.md` with `--markdown`) in a folder of its own, which ``remove()`` deletes.
struct TypedText {
    let folder: String
    let name: String
    var path: String { folder + "/" + name }

    /// The most text it takes: past that, a file is the better way.
    static let limit = 10_000_000

    static func fromStandardInput(markdown: Bool = false) throws -> TypedText {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(STDIN_FILENO, &chunk, chunk.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw CLIError("Cannot read standard input: \(String(cString: strerror(errno))).") }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= limit else { throw CLIError("--text takes at most 10 MB; upload the text as a file instead.") }
        }
        guard !bytes.isEmpty else { throw CLIError("--text read nothing from standard input.") }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw CLIError("--text takes UTF-8 text; this is not. Upload it as a file instead.")
        }
        let folder = NSTemporaryDirectory() + "dropgate-text-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let text = TypedText(folder: folder, name: markdown ? "text.md" : "text.txt")
        guard FileManager.default.createFile(atPath: text.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            text.remove()
            throw CLIError("Cannot write the text to \(text.path).")
        }
        return text
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}
