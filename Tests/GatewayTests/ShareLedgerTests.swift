import DropgateAPI
import Foundation
import S3Client
import Synchronization
import Testing

@testable import Gateway

/// Issue 26, in-process over the embedded store with an injected clock: records are written once, and revocations,
/// tombstones and download counts are create-only markers, so no timing, retry or stale writer can undo them.
struct ShareLedgerTests {
    static func raw(_ harness: GatewayHarness, _ id: String) throws -> GatewayHarness.Answer {
        try harness.call("GET", "/s/\(id)/raw")
    }

    static func sharing(_ harness: GatewayHarness) -> ShareService { harness.sweeper.sharing }

    /// Rewrites a share's record as an older gateway would have (a plain PUT of what it read before).
    static func rewrite(_ harness: GatewayHarness, _ record: ShareRecord) throws {
        try harness.client.putObject(key: ShareStore.key(record.id), body: Array(try APIJSON.encoder.encode(record)), contentType: "application/json")
    }

    @Test func aRevocationCannotBeUndoneByAStaleRecordWrite() throws {
        let harness = try GatewayHarness()
        let done = try harness.share("a.txt", Array("revoke me".utf8))
        let id = done.share.id
        guard case .record(let before) = try Self.sharing(harness).shares.stored(id) else { throw ShareLedgerError.noRecord }
        let revoked = try harness.call("DELETE", "/api/shares/\(id)", headers: [.init("Authorization", "Bearer \(done.deleteToken)")])
        #expect(revoked.status == 204)
        try Self.rewrite(harness, before)  // a download that read the record before the revocation writes it back
        #expect(try Self.raw(harness, id).status == 410)
        #expect(try harness.call("GET", "/s/\(id)").status == 410)
        #expect(try harness.call("GET", "/api/shares/\(id)").status == 410)
        // Revoking again is harmless.
        #expect(try harness.call("DELETE", "/api/shares/\(id)", headers: [.init("Authorization", "Bearer \(done.deleteToken)")]).status == 204)
    }

    @Test func aLimitIsExactUnderThreadsOnTwoGateways() throws {
        let first = try GatewayHarness()
        let second = try GatewayHarness(sharingStoreOf: first)
        let id = try first.share("limited.txt", Array("limited".utf8), maxDownloads: 7).share.id
        let served = Atomic(0)
        let refused = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 40) { n in
            let status = (try? Self.raw(n % 2 == 0 ? first : second, id).status) ?? 0
            if status == 200 { served.add(1, ordering: .relaxed) } else if status == 410 { refused.add(1, ordering: .relaxed) }
        }
        #expect(served.load(ordering: .relaxed) == 7 && refused.load(ordering: .relaxed) == 33)
        let facts = try first.call("GET", "/api/shares/\(id)")
        #expect(facts.status == 410)
    }

    @Test func anOlderRecordsCountTakesTheFirstSlots() throws {
        let harness = try GatewayHarness()
        let id = try harness.share("old.txt", Array("old".utf8), maxDownloads: 5).share.id
        guard case .record(var record) = try Self.sharing(harness).shares.stored(id) else { throw ShareLedgerError.noRecord }
        record.files[0].downloads = 3  // counted in the record by a gateway before the ledger
        try Self.rewrite(harness, record)
        #expect(try Self.raw(harness, id).status == 200)
        #expect(try Self.raw(harness, id).status == 200)
        #expect(try Self.raw(harness, id).status == 410)
        #expect(try harness.call("GET", "/s/\(id)").status == 410)
    }

    @Test func aCountPastEveryOldBoundKeepsAShareWorkingAndItsFileKept() throws {
        let harness = try LifecycleTests.harness()
        let id = try harness.share("busy.txt", Array("busy".utf8)).share.id
        guard case .record(var record) = try Self.sharing(harness).shares.stored(id) else { throw ShareLedgerError.noRecord }
        record.files[0].downloads = Int.max  // far past the 2^24 that used to make a record malformed
        try Self.rewrite(harness, record)
        #expect(try Self.raw(harness, id).status == 302)
        let facts = try harness.call("GET", "/api/shares/\(id)").decode(ShareFacts.self)
        #expect(facts.downloads == Int.max)  // saturates, never overflows
        harness.clock.advance(100_000)
        _ = try LifecycleTests.sweep(harness)
        #expect(try harness.client.headObject(key: record.files[0].key) != nil)
        #expect(try Self.raw(harness, id).status == 302)
    }

    @Test func aLimitNearTheLargestNumberEndsWithoutOverflow() throws {
        let harness = try GatewayHarness()
        let ledger = Self.sharing(harness).shares.ledger
        let id = "AAAAAAAAAAAAAAAAAAAAAA"
        #expect(try ledger.claim(id, file: 0, limit: Int.max, counted: Int.max - 2) == Int.max - 1)
        #expect(try ledger.claim(id, file: 0, limit: Int.max, counted: Int.max - 2) == Int.max)
        #expect(try ledger.claim(id, file: 0, limit: Int.max, counted: Int.max - 2) == nil)
        #expect(try ledger.claim(id, file: 0, limit: Int.max, counted: Int.max) == nil)
        #expect(try ledger.downloads(id, files: 1) == [Int.max])
    }

    @Test func aMalformedRecordNeverMakesItsFilesOrphans() throws {
        let harness = try LifecycleTests.harness()
        let done = try harness.share("kept.txt", Array("kept".utf8))
        guard case .record(let record) = try Self.sharing(harness).shares.stored(done.share.id) else { throw ShareLedgerError.noRecord }
        try harness.client.putObject(key: ShareStore.key(record.id), body: Array(#"{"id":"written by something else"}"#.utf8))
        harness.clock.advance(1_000_000)
        _ = try LifecycleTests.sweep(harness)
        #expect(try harness.client.headObject(key: record.files[0].key) != nil)
    }

    @Test func aRevokedShareIsSweptAndPurgedLeavingNoMarkers() throws {
        let harness = try LifecycleTests.harness()
        let done = try harness.share("gone.txt", Array("gone".utf8), maxDownloads: 3)
        let id = done.share.id
        #expect(try Self.raw(harness, id).status == 200)
        #expect(try harness.call("DELETE", "/api/shares/\(id)", headers: [.init("Authorization", "Bearer \(done.deleteToken)")]).status == 204)
        harness.clock.advance(200)
        #expect(try LifecycleTests.sweep(harness).shareObjects == 1)
        #expect(try LifecycleTests.keys(harness, ShareLedger.tombstonePrefix) == [ShareLedger.tombstoneKey(id)])
        #expect(try Self.raw(harness, id).status == 410)
        harness.clock.advance(1_001)
        // The tombstone's age is the store's own clock: the harness's store shares the injected one.
        #expect(try LifecycleTests.sweep(harness).tombstones == 1)
        for prefix in [ShareLedger.tombstonePrefix, ShareLedger.revokedPrefix, ShareLedger.downloadsPrefix, ObjectKey.sharePrefix] {
            #expect(try LifecycleTests.keys(harness, prefix).isEmpty, "\(prefix)")
        }
        #expect(try Self.raw(harness, id).status == 404)
    }

    @Test func downloadKeysReadBackToTheirSlots() {
        let id = "BBBBBBBBBBBBBBBBBBBBBB"
        for slot in [1, 2, 9, 10, 1_000_000, Int.max] {
            let key = ShareLedger.slotKey(id, file: 12, slot: slot)
            let parsed = ShareLedger.parse(key, prefix: ShareLedger.downloadsKey(id))
            #expect(parsed?.0 == 12 && parsed?.1 == "n" && parsed?.2 == slot)
        }
        // Higher slots sort first, so a listing's first key is the highest claimed.
        #expect(ShareLedger.slotKey(id, file: 0, slot: 10) < ShareLedger.slotKey(id, file: 0, slot: 9))
        #expect(ShareLedger.parse(ShareLedger.downloadsKey(id) + "0001/n/123", prefix: ShareLedger.downloadsKey(id)) == nil)
        #expect(ShareLedger.parse(ShareLedger.downloadsKey(id) + "1/u/x", prefix: ShareLedger.downloadsKey(id)) == nil)
    }
}

enum ShareLedgerError: Error {
    case noRecord
}
