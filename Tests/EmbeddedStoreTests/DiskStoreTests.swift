import Foundation
import Glibc
import Testing

@testable import EmbeddedStore

/// The disk layer: keys never become paths, writes are atomic, crashes leave nothing behind.
struct DiskStoreTests {
    static func makeStore() throws -> (DiskStore, String) {
        let root = NSTemporaryDirectory() + "disk-store-\(UUID().uuidString)"
        let store = try DiskStore(root: root)
        try store.createBucket("bucket", at: Date())
        return (store, root)
    }

    static func put(_ store: DiskStore, key: String, body: [UInt8], overwrite: Bool = true) throws {
        let file = try store.temporaryFile()
        try FileIO.writeAll(file.fd, body, at: 0)
        let metadata = ObjectMetadata(
            key: key, size: Int64(body.count), etag: "e", contentType: "text/plain", contentDisposition: nil, contentEncoding: nil,
            cacheControl: nil, userMetadata: ["a": "b"], checksums: [:], lastModified: 1, partCount: nil)
        try store.commit(temporary: file, dataLength: Int64(body.count), metadata: metadata, bucket: "bucket", overwrite: overwrite)
    }

    @Test(arguments: ["../../../etc/passwd", "/leading", "a//b", "./x/../y", "%2e%2e", String(repeating: "k", count: 1024)])
    func keysNeverBecomePaths(key: String) throws {
        let (store, root) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.put(store, key: key, body: Array("data".utf8))
        let path = store.objectPath(bucket: "bucket", key: key).file
        #expect(path.hasPrefix(root + "/objects/bucket/"))
        #expect(!path.dropFirst(root.count).contains(".."))
        let (fd, metadata, length) = try #require(try store.openObject(bucket: "bucket", key: key))
        close(fd)
        #expect(metadata.key == key)
        #expect(length == 4)
        #expect(try store.listObjects("bucket").map(\.key) == [key])
    }

    @Test func noOverwriteFailsWhenTheKeyExists() throws {
        let (store, root) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.put(store, key: "k", body: [1], overwrite: false)
        #expect(throws: S3Error.self) { try Self.put(store, key: "k", body: [2], overwrite: false) }
        try Self.put(store, key: "k", body: [3], overwrite: true)
        let (fd, _, _) = try #require(try store.openObject(bucket: "bucket", key: "k"))
        defer { close(fd) }
        #expect(try FileIO.read(fd, count: 1, at: 0) == [3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").isEmpty)
    }

    @Test func leftoverTemporaryFilesAreRemovedAtStart() throws {
        let root = try Self.makeStore().1  // the store is gone at once, as a crashed process is: its lock went with it
        defer { try? FileManager.default.removeItem(atPath: root) }
        let crashed = root + "/tmp/left-by-a-crash"
        #expect(FileManager.default.createFile(atPath: crashed, contents: Data("partial".utf8)))
        _ = try DiskStore(root: root)
        #expect(!FileManager.default.fileExists(atPath: crashed))
    }

    @Test func aTemporaryFileIsRemovedWhenItsOwnerLetsGo() throws {
        let (store, root) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var file: TemporaryFile? = try store.temporaryFile()
        let path = try #require(file).path
        #expect(FileManager.default.fileExists(atPath: path))
        file = nil
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aSecondStoreOnALiveFolderRefusesAndRemovesNothing() throws {
        let (store, root) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let writing = try store.temporaryFile()
        #expect {
            _ = try DiskStore(root: root)
        } throws: { error in
            guard let inUse = error as? DataFolderInUse else { return false }
            return inUse.folder == root && inUse.holder == getpid() && "\(inUse)".contains(root)
        }
        #expect(FileManager.default.fileExists(atPath: writing.path))
    }

    @Test(arguments: [("bucket", true), ("my.bucket-1", true), ("ab", false), ("Upper", false), ("-lead", false), ("a..b", false), ("../x", false)])
    func bucketNamesFollowS3Rules(name: String, valid: Bool) {
        #expect(DiskStore.isValidBucketName(name) == valid)
    }

    @Test func rangesFollowRFC9110() {
        #expect(EmbeddedStore.parseRange("bytes=0-4", size: 10)! == (0, 4))
        #expect(EmbeddedStore.parseRange("bytes=5-", size: 10)! == (5, 9))
        #expect(EmbeddedStore.parseRange("bytes=-3", size: 10)! == (7, 9))
        #expect(EmbeddedStore.parseRange("bytes=8-100", size: 10)! == (8, 9))
        #expect(EmbeddedStore.parseRange("bytes=10-11", size: 10) == nil)
        #expect(EmbeddedStore.parseRange("bytes=4-2", size: 10) == nil)
        #expect(EmbeddedStore.parseRange("bytes=0-1,3-4", size: 10) == nil)
    }

    @Test(arguments: [
        ("bytes=0-4", true), ("bytes=-3", true), ("bytes=5-", true), ("bytes=0-1,3-4", false), ("items=0-4", false), ("bytes=a-b", false),
        ("bytes=-", false),
    ])
    func onlyValidSingleRangesAreHonoured(header: String, valid: Bool) {
        #expect(EmbeddedStore.isSingleByteRange(header) == valid)
    }
}
