import DropgateAPI

/// A collection's files arranged by their folders, in the order each folder and file first appears: what its page
/// draws as folded folders, each with how many files it holds and their size.
struct CollectionTree {
    /// A folder: its own files (indices into the share's files) and its folders.
    final class Folder {
        let name: String
        var files: [Int] = []
        var folders: [Folder] = []

        init(name: String) { self.name = name }

        func child(_ name: String) -> Folder {
            if let found = folders.first(where: { $0.name == name }) { return found }
            let made = Folder(name: name)
            folders.append(made)
            return made
        }

        /// Files in it and under it.
        var count: Int { files.count + folders.reduce(0) { $0 + $1.count } }

        func bytes(_ record: ShareRecord) -> Int64 {
            files.reduce(Int64(0)) { $0 + record.files[$1].size } + folders.reduce(Int64(0)) { $0 + $1.bytes(record) }
        }
    }

    let root = Folder(name: "")

    /// Whether any file sits in a folder (a flat collection keeps its flat list).
    let hasFolders: Bool

    init(_ record: ShareRecord) {
        var nested = false
        for (index, file) in record.files.enumerated() {
            var folder = root
            // A record's folders were checked when it was written, and are checked again here: a bad one is shown flat.
            if let path = file.folder, case .success(let parts) = FolderPath.parts(path, of: file.filename) {
                for part in parts { folder = folder.child(part) }
                nested = nested || !parts.isEmpty
            }
            folder.files.append(index)
        }
        hasFolders = nested
    }
}
