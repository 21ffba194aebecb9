/// Another store already holds the data folder's lock: two stores writing one folder would remove each
/// other's temporary files and interleave their publishes, so the second one refuses to start.
public struct DataFolderInUse: Error, Sendable, CustomStringConvertible {
    /// The data folder.
    public var folder: String
    /// The process id written in the lock file by the holder, when it could be read.
    public var holder: Int32?

    public var description: String {
        "The data folder \(folder) is in use by another Dropgate store (process \(holder.map(String.init) ?? "unknown")); stop it or use another --data folder."
    }
}
