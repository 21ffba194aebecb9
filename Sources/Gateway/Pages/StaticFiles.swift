import Crypto
import Foundation
import HTTPServer

/// The web pages (`index.html`, `app.js`, `style.css`, …), read once from their folder into memory: serving one
/// touches no disk, and no request can name a path outside the set.
struct StaticFiles: Sendable {
    struct File: Sendable {
        var bytes: [UInt8]
        var contentType: String
        /// The first 16 hex digits of the bytes' SHA-256: the file's `ETag`, and the `?v=` of an address that may be
        /// kept for a year (``PageCatalogs/address(_:)``).
        var version: String

        init(bytes: [UInt8], contentType: String) {
            self.bytes = bytes
            self.contentType = contentType
            self.version = SHA256.hash(data: bytes).prefix(8).map { String(format: "%02x", $0) }.joined()
        }
    }

    /// The largest file read; the pages are a few kilobytes.
    static let maximumBytes = 4 * 1024 * 1024

    let files: [String: File]

    /// Reads the regular files directly in `folder` whose names are plain (letters, digits, `.`, `-`, `_`).
    init(folder: String) {
        var files: [String: File] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where Self.isPlainName(name) {
            let path = folder + "/" + name
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), attributes[.type] as? FileAttributeType == .typeRegular,
                let size = attributes[.size] as? Int, size <= Self.maximumBytes, let data = FileManager.default.contents(atPath: path)
            else { continue }
            let type = MediaTypeTable.guess(forFilename: name)
            files[name] = File(bytes: Array(data), contentType: type.hasPrefix("text/") ? type + "; charset=utf-8" : type)
        }
        self.files = files
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-" || $0 == "_" }
    }
}
