import DropgateAPI
import DropgateClient
import Foundation
import Testing

/// Folders of a collection (issue 32): one rule for the gateway, the CLI and the pages (`web/zip.js` mirrors it, and
/// `test_zip_writer.py` holds it to the same cases), and a tree the CLI writes without ever leaving its folder.
struct ShareTreeTests {
    @Test(arguments: [
        ("../x", "may not be named '..'"), ("/etc", "absolute path"), ("a/\u{0}b", "U+0"), ("a//b", "empty"), ("a/", "empty"),
        ("a\\b", "backslash"), ("x/\u{202E}gnp", "U+202E"), (String(repeating: "d/", count: 299) + "d", "32 levels"),
        (String(repeating: "x", count: 256), "255 bytes"), (String(repeating: "é/", count: 400) + "é", "1024 bytes"),
    ])
    func hostileFoldersAreRefusedNamingTheFile(folder: String, words: String) {
        guard case .failure(let refusal) = FolderPath.parts(folder, of: "passwd") else {
            Issue.record("\(folder) was accepted")
            return
        }
        #expect(refusal.description.hasPrefix("\(folder)/passwd: ") && refusal.description.contains(words), "\(refusal)")
    }

    @Test func goodFoldersAreTheirParts() throws {
        #expect(try FolderPath.parts("", of: "a").get() == [])
        #expect(try FolderPath.parts("Zoë/été 2026/...x", of: "a").get() == ["Zoë", "été 2026", "...x"])
        #expect(try FolderPath.parts(Array(repeating: "d", count: 32).joined(separator: "/"), of: "a").get().count == 32)
    }

    @Test func aTreeNamesEachFileOnceAndSafely() throws {
        let tree = try ShareTree(files: [("a.txt", nil), ("A.TXT", nil), ("../../etc/passwd", "docs"), (".profile", "docs"), ("\u{7}", nil)])
        #expect(tree.entries.map(\.path) == ["a.txt", "A (2).TXT", "docs/passwd", "docs/profile", "file-5"])
        #expect(throws: ClientError.self) { try ShareTree(files: [("x", "../up")]) }
    }

    @Test func aTreeIsWrittenOnlyInsideItsFolderAndNeverThroughALink() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tree-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let tree = try ShareTree(files: [("a.txt", "docs/2026"), ("b.txt", nil), ("a.txt", "docs/2026")])
        #expect(try tree.paths(under: root) == ["\(root)/docs/2026/a.txt", "\(root)/b.txt", "\(root)/docs/2026/a (2).txt"])
        // A link where a folder goes is refused: nothing is written through it.
        let elsewhere = root + "-elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        try FileManager.default.createSymbolicLink(atPath: root + "/linked", withDestinationPath: elsewhere)
        #expect(throws: ClientError.self) { try ShareTree(files: [("x.txt", "linked")]).paths(under: root) }
    }
}
