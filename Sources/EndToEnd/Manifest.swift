import Foundation

/// The plaintext of an encrypted share's first upload: every file's name, type and size (`docs/encryption.md`).
public struct Manifest: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        public var size: Int64
        /// The folder it sits in within the collection (`FolderPath`), when not at the top level; checked by every
        /// reader, since the gateway never reads a manifest.
        public var folder: String?

        public init(name: String, type: String, size: Int64, folder: String? = nil) {
            self.folder = folder
            self.name = name
            self.type = type
            self.size = size
        }
    }

    public var v: Int
    public var files: [File]

    public static let maximumBytes = 1 << 20
    public static let maximumFiles = 999

    public init(files: [File]) {
        self.v = 1
        self.files = files
    }

    /// Reads a manifest a stranger may have written: version 1, at most ``maximumFiles`` files, sizes in range.
    public static func parse(_ bytes: [UInt8]) -> Manifest? {
        guard bytes.count <= maximumBytes, let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(bytes)), manifest.v == 1,
            (1...maximumFiles).contains(manifest.files.count), manifest.files.allSatisfy({ (0...(Int64(1) << 50)).contains($0.size) })
        else { return nil }
        return manifest
    }
}
