import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import S3Client
import Testing

@testable import Gateway

/// Files an owner adds to a share and takes out of it (issue 29), in-process over the embedded store with the clock
/// moved by hand: added files are the share's for the sweeper too, removed ones lose their objects, and a purged
/// share leaves no edit, index entry or object behind.
struct CollectionEditTests {
    /// A personal token of a new account, as `POST /api/me/tokens` writes it; its `Authorization` header.
    static func owner(_ harness: GatewayHarness) throws -> HTTPHeaders {
        let made = try PersonalTokens(client: harness.client).create(
            owner: Base64URL.encode([UInt8](repeating: 7, count: 16)), name: "test", scopes: [.upload, .shares], at: 0, random: .system)
        return [.init("Authorization", "Bearer \(made.token)")]
    }

    static func edit(_ harness: GatewayHarness, _ id: String, _ change: ShareEditRequest, _ bearer: HTTPHeaders) throws -> GatewayHarness.Answer {
        try harness.call("PATCH", "/api/shares/\(id)", json: change, headers: bearer)
    }

    static func body(_ harness: GatewayHarness, _ path: String) throws -> [UInt8] {
        let location = try #require(try harness.call("GET", path).headers["location"])
        return try harness.get(location).body
    }

    @Test func addedFilesOutliveTheSweepRemovedOnesGoAndThePurgeLeavesNothing() throws {
        let harness = try LifecycleTests.harness()
        let bearer = try Self.owner(harness)
        let first = try harness.receipt("a.txt", Array("first".utf8), headers: bearer)
        let made = try harness.collect([first], expiresIn: 86_400, headers: bearer)
        #expect(made.status == 201, "\(made.text)")
        let id = try made.decode(Completion.self).share.id
        let added = [
            try harness.receipt("b.txt", Array("second".utf8), headers: bearer), try harness.receipt("c.txt", Array("third".utf8), headers: bearer),
        ]
        let grown = try Self.edit(harness, id, ShareEditRequest(addFiles: added), bearer)
        #expect(grown.status == 200, "\(grown.text)")
        #expect(try grown.decode(OwnedShare.self).fileNames == ["a.txt", "b.txt", "c.txt"])
        let shrunk = try Self.edit(harness, id, ShareEditRequest(removeFiles: [1]), bearer)
        #expect(try shrunk.decode(OwnedShare.self).fileNames == ["b.txt", "c.txt"])
        // Long past every grace: the added files are the share's, not orphans; the removed one's objects are gone.
        harness.clock.advance(3_600)
        let report = try LifecycleTests.sweep(harness)
        #expect(report.orphans == 0 && report.shareObjects == 0)
        let kept = try LifecycleTests.keys(harness, "uploads/") + LifecycleTests.keys(harness, "shared/")
        #expect(!kept.isEmpty && kept.allSatisfy { !$0.hasSuffix("a.txt") } && kept.contains { $0.hasSuffix("c.txt") })
        #expect(try Self.body(harness, "/s/\(id)/2/raw") == Array("third".utf8))
        // Dead, swept and purged: nothing of the share stays, its added files and its edits included.
        harness.clock.advance(86_400 + 101)
        #expect(try LifecycleTests.sweep(harness).shareObjects == 1)
        #expect(try LifecycleTests.keys(harness, "uploads/").isEmpty && LifecycleTests.keys(harness, "shared/").isEmpty)
        harness.clock.advance(1_001)
        #expect(try LifecycleTests.sweep(harness).tombstones == 1)
        #expect(try LifecycleTests.keys(harness, ShareEdits.prefix).isEmpty)
        #expect(try LifecycleTests.keys(harness, ObjectKey.keyIndexPrefix).isEmpty)
        #expect(try harness.call("GET", "/s/\(id)").status == 404)
    }

    @Test func aRetriedAdditionAddsOnceAndIsChargedOnce() throws {
        let harness = try LifecycleTests.harness()
        let bearer = try Self.owner(harness)
        let id = try harness.collect([try harness.receipt("a.txt", Array("aaaa".utf8), headers: bearer)], headers: bearer).decode(Completion.self)
            .share.id
        let more = try harness.receipt("b.txt", Array("bbbbbb".utf8), headers: bearer)
        for _ in 0..<2 { #expect(try Self.edit(harness, id, ShareEditRequest(addFiles: [more]), bearer).status == 200) }
        let owner = Base64URL.encode([UInt8](repeating: 7, count: 16))
        let usage = try TokenQuota(client: harness.client, quota: GatewaySettings().auth.quota).usage(owner)
        #expect(usage.shares[id] == 10)  // held twice for a moment, settled to what the share holds
        let listed = try harness.call("GET", "/api/me/shares", headers: bearer).decode(OwnedShares.self)
        #expect(listed.shares.map(\.fileNames) == [["a.txt", "b.txt"]] && listed.shares.first?.size == 10)
    }
}
