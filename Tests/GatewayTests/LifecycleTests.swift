import DropgateAPI
import Foundation
import S3Client
import Synchronization
import Testing

@testable import Gateway

/// The sweeper inside `serve` (issue 13): what uploads leave and dead shares keep is deleted, once, and no live
/// share is ever touched; in-process over the embedded store, with the clock moved by hand.
struct LifecycleTests {
    static func harness(_ configure: (inout GatewaySettings) -> Void = { _ in }) throws -> GatewayHarness {
        try GatewayHarness {
            $0.uploads.presignExpiry = 600
            $0.uploads.resumeWindow = 600
            $0.lifecycle.orphanGrace = 300
            $0.lifecycle.shareGrace = 100
            $0.lifecycle.tombstoneRetention = 1_000
            configure(&$0)
        }
    }

    /// Sweeps as the harness's one sweeper (one per gateway, as `serve` runs it, so it keeps its lease).
    static func sweep(_ harness: GatewayHarness) throws -> LifecycleSweeper.Report {
        try harness.sweeper.sweep()
    }

    static func keys(_ harness: GatewayHarness, _ prefix: String) throws -> [String] {
        try harness.client.listObjects(prefix: prefix).objects.map(\.key)
    }

    /// Declares and PUTs a file without completing it; the plan.
    static func abandon(_ harness: GatewayHarness, _ name: String = "left.txt") throws -> UploadPlan {
        let plan = try harness.declare(UploadRequest(filename: name, size: 4, contentType: "text/plain")).decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), Array("left".utf8), headers: plan.headers ?? [:]).status == 200)
        return plan
    }

    @Test func anUncompletedUploadIsDeletedOnlyAfterItsURLsExpiryAndTheGrace() throws {
        let harness = try Self.harness()
        let plan = try Self.abandon(harness)
        harness.clock.advance(899)  // 600 s of URLs + 300 s of grace, not yet past
        #expect(try Self.sweep(harness).orphans == 0)
        #expect(try Self.keys(harness, "uploads/") == [plan.key])
        harness.clock.advance(2)
        let report = try Self.sweep(harness)
        #expect(report.swept && report.orphans == 1)
        #expect(try Self.keys(harness, "uploads/").isEmpty)
        #expect(harness.sweeper.sharing.metrics.text.contains("dropgate_lifecycle_deleted_total{kind=\"orphan\"} 1"))
    }

    @Test func anAbandonedMultipartUploadIsAborted() throws {
        let harness = try Self.harness()
        let size: Int64 = 6 << 20
        let plan = try harness.declare(UploadRequest(filename: "big.bin", size: size, contentType: "application/zip")).decode(UploadPlan.self)
        let multipart = try #require(plan.multipart)
        let part = [UInt8](repeating: 7, count: Int(multipart.partSize))
        #expect(try harness.put(multipart.parts[0].url, part).status == 200)
        #expect(try harness.client.listMultipartUploads(prefix: "uploads/").uploads.count == 1)
        harness.clock.advance(901)
        #expect(try Self.sweep(harness).multipartUploads == 1)
        #expect(try harness.client.listMultipartUploads(prefix: "uploads/").uploads.isEmpty)
    }

    @Test func liveSharesAndTheirObjectsAreNeverTouched() throws {
        let harness = try Self.harness()
        let kept = try harness.share("kept.txt", Array("kept".utf8), expiresIn: 86_400)
        harness.clock.advance(3_600)
        let report = try Self.sweep(harness)
        #expect(report.orphans == 0 && report.shareObjects == 0 && report.tombstones == 0)
        let location = try #require(try harness.call("GET", "/s/\(kept.share.id)/raw").headers["location"])
        #expect(try harness.get(location).body == Array("kept".utf8))
    }

    @Test func anExpiredShareLosesItsObjectsAfterTheGraceThenItsTombstone() throws {
        let harness = try Self.harness()
        let done = try harness.share("gone.txt", Array("gone".utf8), expiresIn: 60)
        harness.clock.advance(60 + 99)
        #expect(try Self.sweep(harness).shareObjects == 0)  // dead, but within the share grace
        #expect(try Self.keys(harness, "shared/").count == 1)
        harness.clock.advance(2)
        #expect(try Self.sweep(harness).shareObjects == 1)
        #expect(try Self.keys(harness, "shared/").isEmpty)
        let page = try harness.call("GET", "/s/\(done.share.id)")
        #expect(page.status == 410 && page.text.contains("This share has expired."))
        #expect(try Self.sweep(harness).shareObjects == 0)  // a tombstone is not deleted twice
        harness.clock.advance(1_001)
        #expect(try Self.sweep(harness).tombstones == 1)
        #expect(try harness.call("GET", "/s/\(done.share.id)").status == 404)
    }

    @Test func aRevokedOrUsedUpShareIsDeadFromItsLastWrite() throws {
        let harness = try Self.harness()
        let revoked = try harness.share("r.txt", Array("revoked".utf8), expiresIn: 86_400)
        let used = try harness.share("u.txt", Array("used".utf8), expiresIn: 86_400, maxDownloads: 1)
        _ = try harness.call("DELETE", "/api/shares/\(revoked.share.id)", headers: [.init("Authorization", "Bearer \(revoked.deleteToken)")])
        #expect(try harness.call("GET", "/s/\(used.share.id)/raw").status == 200)
        #expect(try Self.keys(harness, "shared/").count == 1)  // revoking deleted its object at once
        harness.clock.advance(101)
        #expect(try Self.sweep(harness).shareObjects == 2)
        #expect(try Self.keys(harness, "shared/").isEmpty)
        #expect(try harness.call("GET", "/s/\(used.share.id)").text.contains("download limit"))
    }

    @Test func aStagingKeyWrittenAgainAfterCompletionIsAnOrphanButTheShareStays() throws {
        let harness = try Self.harness()
        let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 8, contentType: "text/plain")).decode(UploadPlan.self)
        let url = try harness.requireURL(plan)
        #expect(try harness.put(url, Array("verified".utf8), headers: plan.headers ?? [:]).status == 200)
        let done = try harness.call("POST", "/api/uploads/\(plan.id)/complete").decode(Completion.self)
        #expect(try harness.put(url, Array("swapped!".utf8), headers: plan.headers ?? [:]).status == 200)
        harness.clock.advance(901)
        #expect(try Self.sweep(harness).orphans == 1)
        #expect(try Self.keys(harness, "uploads/").isEmpty)
        let location = try #require(try harness.call("GET", "/s/\(done.share.id)/raw").headers["location"])
        #expect(try harness.get(location).body == Array("verified".utf8))
    }

    @Test func twoGatewaysSweepingOneBucketAtOnceDeleteEachThingOnce() throws {
        let first = try Self.harness()
        let second = try GatewayHarness(sharingStoreOf: first) {
            $0.uploads.presignExpiry = 600
            $0.uploads.resumeWindow = 600
            $0.lifecycle.orphanGrace = 300
        }
        for index in 0..<12 { _ = try Self.abandon(first, "o\(index).txt") }
        let live = try first.share("live.txt", Array("live".utf8), expiresIn: 86_400)
        first.clock.advance(901)
        let reports = Mutex([LifecycleSweeper.Report](repeating: LifecycleSweeper.Report(), count: 2))
        let sweepers = [first.sweeper, second.sweeper]
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let report = (try? sweepers[index].sweep()) ?? LifecycleSweeper.Report()
            reports.withLock { $0[index] = report }
        }
        let all = reports.withLock { $0 }
        #expect(all.filter(\.swept).count == 1)
        #expect(all.map(\.orphans).reduce(0, +) == 12)
        #expect(try Self.keys(first, "uploads/").isEmpty)
        #expect(try first.call("GET", "/s/\(live.share.id)").status == 200)
        // The lease holder keeps it; when it gives it up the other gateway takes over at once.
        #expect(try sweepers[0].sweep().swept == all[0].swept)
        let holder = all[0].swept ? sweepers[0] : sweepers[1]
        let other = all[0].swept ? sweepers[1] : sweepers[0]
        #expect(try other.sweep().swept == false)
        holder.lease.release()
        #expect(try other.sweep().swept == true)
    }

    @Test func aShareMadeUnderAnotherSecretIsNotAnOrphan() throws {
        let first = try Self.harness()
        let rotated = try GatewayHarness(sharingStoreOf: first) {
            $0.gateway.secret = "a-rotated-gateway-secret-0123456789abcdef"
            $0.uploads.presignExpiry = 600
            $0.uploads.resumeWindow = 600
            $0.lifecycle.orphanGrace = 300
        }
        let single = try first.share("single.txt", Array("single".utf8), expiresIn: 86_400)
        let size: Int64 = 6 << 20
        let plan = try first.declare(UploadRequest(filename: "big.txt", size: size, contentType: "text/plain")).decode(UploadPlan.self)
        let multipart = try #require(plan.multipart)
        var parts: [CompletedPart] = []
        for part in multipart.parts {
            let length = Int(min(multipart.partSize, size - Int64(part.partNumber - 1) * multipart.partSize))
            let stored = try first.put(part.url, [UInt8](repeating: 0x61, count: length))
            parts.append(.init(partNumber: part.partNumber, etag: stored.headers["etag"] ?? ""))
        }
        let done = try first.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(parts: parts))
        #expect(done.status == 201)
        first.clock.advance(901)
        #expect(try rotated.sweeper.sweep().orphans == 0)  // found through the key index, not the secret
        #expect(try Self.keys(first, "uploads/").count == 1 && Self.keys(first, "shared/").count == 1)
        #expect(try rotated.call("GET", "/s/\(single.share.id)").status == 200)
    }

    @Test func anExpiredLeaseIsTakenOver() throws {
        let first = try Self.harness()
        let second = try GatewayHarness(sharingStoreOf: first)
        let one = first.sweeper
        let two = second.sweeper
        #expect(try one.sweep().swept)
        #expect(try two.sweep().swept == false)
        first.clock.advance(TimeInterval(max(60, 3 * first.settings.lifecycle.passBudget) + 1))  // the holder died
        #expect(try two.sweep().swept)
    }

    @Test func aPassStopsAtItsBudgetAndTheNextCarriesOn() throws {
        let harness = try Self.harness {
            $0.lifecycle.pageSize = 2
            $0.lifecycle.passBudget = 1
        }
        for index in 0..<7 { _ = try Self.abandon(harness, "b\(index).txt") }
        harness.clock.advance(901)
        let sweeper = harness.sweeper
        var deleted = 0
        for _ in 0..<10 where deleted < 7 { deleted += try sweeper.sweep().orphans }
        #expect(deleted == 7)
        #expect(try Self.keys(harness, "uploads/").isEmpty)
    }
}
