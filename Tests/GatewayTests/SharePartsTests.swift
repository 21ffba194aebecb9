import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import Testing

@testable import Gateway

/// The pieces under collections, passwords and resuming (issue 16): the stored record, the password hash, the
/// attempt buckets, the cookie parser, and fresh part URLs after the first ones expired.
struct SharePartsTests {
    @Test func aRecordFromBeforeCollectionsIsReadAsOneFile() throws {
        let legacy = #"""
            {"id":"AAAAAAAAAAAAAAAAAAAAAA","key":"shared/2026/11/AAAAAAAAAAAAAAAAAAAAAA/a.txt","filename":"a.txt","size":3,
            "contentType":"text/plain","createdAt":1,"expiresAt":2,"downloads":1,"revoked":false}
            """#
        let record = try APIJSON.decoder.decode(ShareRecord.self, from: Data(legacy.utf8))
        #expect(
            record.files == [
                SharedFile(key: "shared/2026/11/AAAAAAAAAAAAAAAAAAAAAA/a.txt", filename: "a.txt", size: 3, contentType: "text/plain", downloads: 1)
            ])
        #expect(record.isWellFormed)
    }

    @Test(arguments: [(1, false, true), (2, false, false), (1, true, false)])
    func onlyAPlainOneFileRecordKeepsTheOlderFields(files: Int, password: Bool, legacyFields: Bool) throws {
        let shared = (0..<files).map {
            SharedFile(key: "shared/2026/11/AAAAAAAAAAAAAAAAAAAAA\($0)/f.txt", filename: "f\($0).txt", size: 1, contentType: "text/plain")
        }
        let record = ShareRecord(
            id: "AAAAAAAAAAAAAAAAAAAAAA", files: shared, createdAt: 1, expiresAt: 2, maxDownloads: nil, revoked: false,
            password: password ? try PasswordHash(hashing: "pw", random: .system) : nil)
        let json = try APIJSON.encoder.encode(record)
        let top = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect((top["key"] != nil) == legacyFields && (top["filename"] != nil) == legacyFields)
        #expect(try APIJSON.decoder.decode(ShareRecord.self, from: json) == record)
    }

    @Test func aPasswordHashMatchesOnlyItsPassword() throws {
        let hash = try PasswordHash(hashing: "correct horse", random: .system)
        #expect(hash.algorithm == "pbkdf2-sha256" && hash.rounds == 600_000)
        #expect(hash.matches("correct horse"))
        #expect(!hash.matches("correct horse "))
        #expect(!hash.matches(""))
        var tampered = hash
        tampered.rounds = 100  // a record with rounds out of range serves no password at all
        #expect(!tampered.matches("correct horse"))
        tampered = hash
        tampered.algorithm = "md5"
        #expect(!tampered.matches("correct horse"))
        #expect(try PasswordHash(hashing: "correct horse", random: .system).salt != hash.salt)
    }

    @Test func anAttemptBucketRefillsWithTime() {
        let clock = TestClock()
        let limiter = AttemptLimiter(perMinute: 6, burst: 2, now: { clock.now })
        #expect(limiter.take(["a"]) == nil)
        #expect(limiter.take(["a"]) == nil)
        #expect(limiter.take(["a"]) == 10)
        #expect(limiter.take(["b"]) == nil)  // another name has its own bucket
        clock.advance(10)
        #expect(limiter.take(["a"]) == nil)
        #expect(limiter.take(["a", "c"]) != nil)  // all or none: c is not charged
        #expect(limiter.take(["c"]) == nil && limiter.take(["c"]) == nil)
    }

    @Test func aFullTableForgetsTheLeastRecentNamesAndNeverLocksAnyoneOut() {
        let clock = TestClock()
        let limiter = AttemptLimiter(perMinute: 1, burst: 1, capacity: 4, now: { clock.now })
        #expect(limiter.take(["victim"]) == nil)
        #expect(limiter.take(["victim"]) != nil)  // its one attempt is spent
        // A flood of new names never gets a refusal for the table being full…
        for index in 0..<1_000 {
            clock.advance(0.001)
            #expect(limiter.take(["flood-\(index)"]) == nil)
        }
        // …and a name still in use keeps its bucket: its spent attempt is remembered across the flood.
        let spent = AttemptLimiter(perMinute: 1, burst: 1, capacity: 4, now: { clock.now })
        #expect(spent.take(["guesser"]) == nil)
        for index in 0..<50 {
            clock.advance(0.001)
            #expect(spent.take(["flood-\(index)"]) == nil)
            #expect(spent.take(["guesser"]) != nil)
        }
    }

    @Test(arguments: [
        ("dg_unlock=abc", ["abc"]), ("a=1; dg_unlock=x.y; b=2", ["x.y"]), ("dg_unlock=\"q\"", ["q"]), ("dg_unlock=1;dg_unlock=2", ["1", "2"]),
        ("dg_unlockx=1; xdg_unlock=2", []), ("dg_unlock", []), ("", []), (";;; =; dg_unlock=  ", [""]),
    ])
    func theCookieHeaderIsParsed(header: String, values: [String]) {
        #expect(CookieHeader.values(named: "dg_unlock", in: header) == values)
    }

    @Test func expiredPartURLsAreRenewedWithinTheResumeWindow() throws {
        let harness = try GatewayHarness {
            $0.uploads.presignExpiry = 60
            $0.uploads.resumeWindow = 600
        }
        let size: Int64 = 6 << 20
        let plan = try harness.declare(UploadRequest(filename: "big.bin", size: size, contentType: "application/octet-stream"))
            .decode(UploadPlan.self)
        let multipart = try #require(plan.multipart)
        #expect(multipart.resumableUntil == plan.expiresAt.addingTimeInterval(540))
        harness.clock.advance(120)
        let part = [UInt8](repeating: 7, count: 5 << 20)
        #expect(try harness.put(multipart.parts[0].url, part).status == 403)  // expired
        let fresh = try harness.call("POST", "/api/uploads/\(plan.id)/parts", json: PartsRequest(parts: [1, 2])).decode(PartURLs.self)
        let first = try harness.put(fresh.parts[0].url, part)
        let second = try harness.put(fresh.parts[1].url, [UInt8](repeating: 8, count: 1 << 20))
        #expect(first.status == 200 && second.status == 200)
        let stored = try harness.call("GET", "/api/uploads/\(plan.id)/parts").decode(StoredParts.self)
        #expect(stored.parts.map(\.partNumber) == [1, 2] && stored.parts.map(\.size) == [5 << 20, 1 << 20])
        let parts = stored.parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag) }
        #expect(try harness.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(parts: parts)).status == 201)
        harness.clock.advance(600)
        #expect(try harness.call("POST", "/api/uploads/\(plan.id)/parts", json: PartsRequest(parts: [1])).errorCode == .unknownUpload)
    }
}
