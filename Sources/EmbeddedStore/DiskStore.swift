import Crypto
import Foundation
import Glibc
import S3Common
import SigV4

/// The store's files. Keys never become paths: an object lives at `objects/<bucket>/<h[0..2]>/<h>` where
/// `h` is the SHA-256 of its key, so no key (`../`, `//`, a leading `/`, 1024 bytes) can leave the folder.
///
/// Writes go to `tmp/`, are fsynced, then renamed (or linked, for no-overwrite) into place and the folder
/// fsynced: a reader sees the old object or the new one, and an acknowledged write survives a crash.
public final class DiskStore: Sendable {
    public let root: String
    /// Serializes conditional writes (If-Match, If-None-Match) per key, so the check and the publish are one step.
    /// `NSLock`, not `Mutex`: a `Mutex` cannot be an array element (it is not copyable).
    private let keyLocks = (0..<64).map { _ in NSLock() }
    /// The keys of each bucket in listing order.
    private let index = ObjectIndex()

    /// Runs `body` holding the lock of `bucket`/`key` (one of 64 stripes).
    public func withKeyLock<T>(bucket: String, key: String, _ body: () throws -> T) rethrows -> T {
        var hasher = Hasher()
        hasher.combine(bucket)
        hasher.combine(key)
        return try keyLocks[Int(UInt(bitPattern: hasher.finalize()) % UInt(keyLocks.count))].withLock(body)
    }

    /// The descriptor of `root/lock`, held with an exclusive `flock` for the store's lifetime.
    private let lockDescriptor: Int32

    /// Opens (creating if needed) the store at `root`, takes the folder's lock, and removes temporary files
    /// left by a crash. Only the process holding the lock writes there, so no live writer's file is removed.
    ///
    /// - Throws: ``DataFolderInUse`` when another store (in this process or another) holds the folder.
    public init(root: String) throws {
        self.root = (root as NSString).standardizingPath
        for folder in ["buckets", "objects", "multipart", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(self.root)/\(folder)", withIntermediateDirectories: true)
        }
        lockDescriptor = try Self.lockFolder(self.root)
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: "\(self.root)/tmp")) ?? [] {
            try? FileManager.default.removeItem(atPath: "\(self.root)/tmp/\(leftover)")
        }
    }

    deinit { close(lockDescriptor) }

    /// Takes the exclusive lock of `root/lock` and writes this process's id into it.
    private static func lockFolder(_ root: String) throws -> Int32 {
        let path = root + "/lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileIO.failure("Opening \(path)") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8)).map(ASCIIText.trimmed) ?? ""
            close(fd)
            throw DataFolderInUse(folder: root, holder: Int32(holder))
        }
        let pid = Array("\(getpid())\n".utf8)
        ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return fd
    }

    // MARK: Buckets

    /// Whether `name` follows S3's bucket naming rules: 3 to 63 of a-z, 0-9, `.` and `-`, starting and ending with a
    /// letter or digit, no `..`, `.-` or `-.`, and not shaped like an IPv4 address.
    public static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        let alphanumeric = { (byte: UInt8) in (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        guard let first = bytes.first, let last = bytes.last, alphanumeric(first), alphanumeric(last) else { return false }
        guard bytes.allSatisfy({ alphanumeric($0) || $0 == 0x2E || $0 == 0x2D }) else { return false }
        for (left, right) in zip(bytes, bytes.dropFirst()) where (left == 0x2E || left == 0x2D) && (right == 0x2E || right == 0x2D) {
            if left == 0x2E || right == 0x2E { return false }  // "..", ".-" and "-." (but "--" is allowed)
        }
        var address = in_addr()
        return inet_pton(AF_INET, name, &address) != 1
    }

    public func bucketExists(_ name: String) -> Bool {
        Self.isValidBucketName(name) && FileManager.default.fileExists(atPath: "\(root)/buckets/\(name)")
    }

    /// Creates a bucket; false when it already existed.
    @discardableResult
    public func createBucket(_ name: String, at date: Date) throws -> Bool {
        guard Self.isValidBucketName(name) else { throw S3Error(.invalidBucketName, "The specified bucket is not valid: \(name).", status: 400) }
        if bucketExists(name) { return false }
        try FileManager.default.createDirectory(atPath: "\(root)/objects/\(name)", withIntermediateDirectories: true)
        let marker = "\(root)/buckets/\(name)"
        guard FileManager.default.createFile(atPath: marker, contents: Data(String(date.timeIntervalSince1970).utf8)) else {
            throw FileIO.failure("Creating bucket \(name)")
        }
        FileIO.syncDirectory("\(root)/buckets")
        return true
    }

    public func deleteBucket(_ name: String) throws {
        guard bucketExists(name) else { throw S3Error.noSuchBucket(name) }
        guard try listObjects(name).isEmpty else {
            throw S3Error(.bucketNotEmpty, "The bucket you tried to delete is not empty.", status: 409, details: [("BucketName", name)])
        }
        try FileManager.default.removeItem(atPath: "\(root)/buckets/\(name)")
        try? FileManager.default.removeItem(atPath: "\(root)/objects/\(name)")
        index.forget(name)
    }

    /// Bucket names and creation times, sorted by name.
    public func listBuckets() -> [(name: String, created: Date)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/buckets")) ?? []
        return names.filter(Self.isValidBucketName).sorted().map { name in
            let text = (try? String(contentsOfFile: "\(root)/buckets/\(name)", encoding: .utf8)) ?? ""
            return (name, Date(timeIntervalSince1970: Double(text) ?? 0))
        }
    }

    // MARK: Objects

    func objectPath(bucket: String, key: String) -> (folder: String, file: String) {
        let hash = Hex.string(SHA256.hash(data: Array(key.utf8)))
        let folder = "\(root)/objects/\(bucket)/\(hash.prefix(2))"
        return (folder, "\(folder)/\(hash)")
    }

    /// Opens an object for reading; the caller owns (and closes) the descriptor.
    public func openObject(bucket: String, key: String) throws -> (fd: Int32, metadata: ObjectMetadata, dataLength: Int64)? {
        let path = objectPath(bucket: bucket, key: key).file
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        do {
            let (metadata, length) = try ObjectFile.readMetadata(fd: fd)
            guard metadata.key == key else {
                close(fd)
                return nil
            }
            return (fd, metadata, length)
        } catch {
            close(fd)
            throw error
        }
    }

    public func metadata(bucket: String, key: String) throws -> ObjectMetadata? {
        guard let (fd, metadata, _) = try openObject(bucket: bucket, key: key) else { return nil }
        close(fd)
        return metadata
    }

    /// A new temporary file in the store's own filesystem.
    func temporaryFile() throws -> TemporaryFile {
        let path = "\(root)/tmp/\(UUID().uuidString)"
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileIO.failure("Creating a temporary file") }
        return TemporaryFile(fd: fd, path: path)
    }

    /// Appends `metadata` to the temporary file, fsyncs it, and publishes it as the object.
    ///
    /// With `overwrite: false` the object is linked into place, which fails atomically when the key exists
    /// (`If-None-Match: *` answers 412 PreconditionFailed).
    func commit(temporary: TemporaryFile, dataLength: Int64, metadata: ObjectMetadata, bucket: String, overwrite: Bool) throws {
        try ObjectFile.appendMetadata(metadata, fd: temporary.fd, dataLength: dataLength)
        try FileIO.sync(temporary.fd)
        let (folder, file) = objectPath(bucket: bucket, key: metadata.key)
        if mkdir(folder, 0o755) != 0 && errno != EEXIST { throw FileIO.failure("Creating an object folder") }
        if overwrite {
            guard rename(temporary.path, file) == 0 else { throw FileIO.failure("Publishing an object") }
        } else if link(temporary.path, file) != 0 {
            if errno == EEXIST {
                throw S3Error(
                    .preconditionFailed, "At least one of the preconditions you specified did not hold: the key exists (If-None-Match: *).",
                    status: 412, details: [("Condition", "If-None-Match")])
            }
            throw FileIO.failure("Publishing an object")
        }
        FileIO.syncDirectory(folder)
        refreshIndex(bucket: bucket, key: metadata.key)
    }

    /// Brings the listing index of `key` in line with the disk.
    private func refreshIndex(bucket: String, key: String) {
        index.refresh(bucket: bucket, key: key) { (try? metadata(bucket: bucket, key: key))?.map(ObjectSummary.init) }
    }

    /// Removes an object; false when there was none.
    @discardableResult
    public func deleteObject(bucket: String, key: String) throws -> Bool {
        guard try metadata(bucket: bucket, key: key) != nil else { return false }
        let (folder, file) = objectPath(bucket: bucket, key: key)
        guard unlink(file) == 0 || errno == ENOENT else { throw FileIO.failure("Deleting an object") }
        FileIO.syncDirectory(folder)
        refreshIndex(bucket: bucket, key: key)
        return true
    }

    /// The objects of `bucket` in listing order (UTF-8 bytes, as S3 lists), from the first key not before `start`.
    public func listObjects(_ bucket: String, from start: String = "") throws -> ArraySlice<ObjectSummary> {
        index.objects(in: bucket, from: start) { scanObjects(bucket) }
    }

    /// Every object's summary in `bucket`, read from disk (once per bucket, to build the index).
    private func scanObjects(_ bucket: String) -> [ObjectSummary] {
        let base = "\(root)/objects/\(bucket)"
        var all: [ObjectSummary] = []
        for shard in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(base)/\(shard)")) ?? [] {
                let fd = open("\(base)/\(shard)/\(name)", O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { continue }
                if let (metadata, _) = try? ObjectFile.readMetadata(fd: fd) { all.append(ObjectSummary(metadata)) }
                close(fd)
            }
        }
        return all
    }
}
