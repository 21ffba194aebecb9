import Foundation
import Testing

@testable import EmbeddedStore

/// The in-memory listing index stays what the disk holds: through writes, overwrites, deletes, concurrent
/// writers of one key, and a restart.
struct ObjectIndexTests {
    @Test func theIndexFollowsWritesOverwritesAndDeletes() throws {
        let (store, root) = try DiskStoreTests.makeStore()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DiskStoreTests.put(store, key: "b", body: [1])
        #expect(try store.listObjects("bucket").map(\.key) == ["b"])  // built from disk here
        for key in ["c", "a", "é", "e\u{301}", "a/b"] { try DiskStoreTests.put(store, key: key, body: [1, 2]) }
        try DiskStoreTests.put(store, key: "b", body: [1, 2, 3])
        _ = try store.deleteObject(bucket: "bucket", key: "c")
        let listed = try store.listObjects("bucket")
        #expect(listed.map(\.key) == ["a", "a/b", "b", "e\u{301}", "é"])  // UTF-8 byte order, as S3 lists
        #expect(listed.first { $0.key == "b" }?.size == 3)
        #expect(try store.listObjects("bucket", from: "a0").map(\.key) == ["b", "e\u{301}", "é"])
    }

    @Test func concurrentWritersOfOneKeyLeaveTheIndexAsTheDisk() throws {
        let (store, root) = try DiskStoreTests.makeStore()
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try store.listObjects("bucket")
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            try? DiskStoreTests.put(store, key: "same", body: [UInt8](repeating: 1, count: index + 1))
            if index % 3 == 0 { _ = try? store.deleteObject(bucket: "bucket", key: "same") }
        }
        let onDisk = try store.metadata(bucket: "bucket", key: "same")
        let listed = try store.listObjects("bucket").first { $0.key == "same" }
        #expect(listed?.size == onDisk?.size)
    }

    @Test func aRestartedStoreListsWhatIsOnDisk() throws {
        let root = NSTemporaryDirectory() + "disk-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        do {
            let store = try DiskStore(root: root)
            try store.createBucket("bucket", at: Date())
            for key in ["z", "y", "x"] { try DiskStoreTests.put(store, key: key, body: [7]) }
        }
        let again = try DiskStore(root: root)
        #expect(try again.listObjects("bucket").map(\.key) == ["x", "y", "z"])
    }
}
