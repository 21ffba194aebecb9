import Glibc

/// A file in the store's `tmp/` folder, open for writing, and its one owner: when the owner lets go, the descriptor
/// is closed and the file removed. Publishing renames (or links) it into place first, so nothing is left behind
/// either way, and no caller closes or unlinks by hand.
final class TemporaryFile {
    let fd: Int32
    let path: String

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit {
        close(fd)
        unlink(path)  // ENOENT once it was renamed into place
    }
}
