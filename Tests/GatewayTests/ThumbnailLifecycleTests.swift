import DropgateAPI
import Foundation
import Testing

@testable import Gateway

/// Thumbnails go with their files (issue 33): the sweeper keeps a live share's, deletes a dead share's with its
/// objects, and deletes one left staged by an upload that never completed; in-process, with the clock moved by hand.
struct ThumbnailLifecycleTests {
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 60)

    /// Declares and PUTs a file and its thumbnail; completes it (as a share of its own) when asked. The plan.
    static func upload(_ harness: GatewayHarness, _ name: String, expiresIn: Int64, complete: Bool) throws -> UploadPlan {
        let bytes = Array(name.utf8)
        let plan = try harness.declare(UploadRequest(filename: name, size: Int64(bytes.count), contentType: "text/plain", expiresIn: expiresIn))
            .decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), bytes, headers: plan.headers ?? [:]).status == 200)
        let thumbnail = try harness.call(
            "POST", "/api/uploads/\(plan.id)/thumbnail", json: ThumbnailRequest(size: Int64(Self.jpeg.count), contentType: "image/jpeg")
        ).decode(ThumbnailPlan.self)
        #expect(try harness.put(thumbnail.url, Self.jpeg, headers: thumbnail.headers).status == 200)
        if complete { #expect(try harness.call("POST", "/api/uploads/\(plan.id)/complete").status == 201) }
        return plan
    }

    static func thumbnails(_ harness: GatewayHarness) throws -> [String] {
        try harness.client.listObjects(prefix: "thumbs/").objects.map(\.key)
    }

    @Test func aLiveSharesThumbnailIsKeptAndADeadSharesGoesWithItsObjects() throws {
        let harness = try LifecycleTests.harness()
        let live = try Self.upload(harness, "live.txt", expiresIn: 86_400, complete: true)
        let dying = try Self.upload(harness, "dying.txt", expiresIn: 60, complete: true)
        #expect(try Self.thumbnails(harness) == [ObjectKey.thumbnail(of: dying.key), ObjectKey.thumbnail(of: live.key)].sorted())
        harness.clock.advance(3_600)  // past the orphan age (900 s) and the dying share's expiry and grace
        let report = try harness.sweeper.sweep()
        #expect(report.shareObjects == 1 && report.orphans == 0)
        #expect(try Self.thumbnails(harness) == [ObjectKey.thumbnail(of: live.key)])
    }

    @Test func aThumbnailLeftStagedIsAnOrphanOnlyPastTheOrphanAge() throws {
        let harness = try LifecycleTests.harness()
        let left = try Self.upload(harness, "left.txt", expiresIn: 86_400, complete: false)
        #expect(try Self.thumbnails(harness) == [ObjectKey.stagedThumbnail(of: left.key)])
        harness.clock.advance(899)
        #expect(try harness.sweeper.sweep().orphans == 0)
        harness.clock.advance(2)
        #expect(try harness.sweeper.sweep().orphans == 2)  // the upload's object and its thumbnail
        #expect(try Self.thumbnails(harness).isEmpty)
    }
}
