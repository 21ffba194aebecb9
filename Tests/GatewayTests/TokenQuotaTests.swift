import DropgateAPI
import Foundation
import HTTPServer
import Synchronization
import Testing

@testable import Gateway

/// Per-token quotas held in the bucket (issue 13): exact across gateways, released by revocation and the sweep.
struct TokenQuotaTests {
    static let token = "quota-token-0123456789abcdef"
    static let bearer: HTTPHeaders = [.init("Authorization", "Bearer \(token)")]

    static func configure(_ settings: inout GatewaySettings, bytes: Int64 = 0, shares: Int = 0) {
        settings.auth.uploadTokens = [token, "another-token-0123456789abcdef"]
        settings.auth.quota.maxBytes = bytes
        settings.auth.quota.maxShares = shares
        settings.lifecycle.shareGrace = 0
    }

    /// Declares, PUTs and completes with the token; the completion answer.
    static func share(_ harness: GatewayHarness, _ bytes: [UInt8], headers: HTTPHeaders = bearer, expiresIn: Int64? = nil) throws
        -> GatewayHarness.Answer
    {
        let planned = try harness.declare(
            UploadRequest(filename: "q.txt", size: Int64(bytes.count), contentType: "text/plain", expiresIn: expiresIn), headers: headers)
        guard planned.status == 201 else { return planned }
        let plan = try planned.decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), bytes, headers: plan.headers ?? [:]).status == 200)
        return try harness.call("POST", "/api/uploads/\(plan.id)/complete")
    }

    static func usage(_ harness: GatewayHarness, headers: HTTPHeaders = bearer) throws -> TokenUsageReport {
        try harness.call("GET", "/api/usage", headers: headers).decode(TokenUsageReport.self)
    }

    @Test func aTokenMakesAtMostItsSharesADayAndTheNextUTCDayStartsAfresh() throws {
        let harness = try GatewayHarness {
            $0.auth.uploadTokens = [Self.token]
            $0.auth.quota.maxUploadsPerDay = 2
        }
        let midnight = (harness.clock.now.timeIntervalSince1970 / 86_400).rounded(.up) * 86_400
        harness.clock.advance(midnight - harness.clock.now.timeIntervalSince1970 - 120)  // two minutes before a UTC midnight
        let first = try Self.share(harness, Array("one".utf8), expiresIn: 86_400).decode(Completion.self)
        #expect(try Self.share(harness, Array("two".utf8)).status == 201)
        let third = try Self.share(harness, Array("three".utf8))
        #expect(third.status == 403 && third.text.contains("today"))
        // Revoking frees nothing of the day.
        _ = try harness.call("DELETE", "/api/shares/\(first.share.id)", headers: [.init("Authorization", "Bearer \(first.deleteToken)")])
        #expect(try Self.share(harness, Array("three".utf8)).status == 403)
        #expect(try Self.usage(harness).sharesToday == 2 && Self.usage(harness).maxUploadsPerDay == 2)
        harness.clock.advance(121)
        #expect(try Self.share(harness, Array("four".utf8)).status == 201)
        #expect(try Self.usage(harness).sharesToday == 1)
    }

    @Test func aTokenKeepsAtMostItsSharesAndRevokingGivesOneBack() throws {
        let harness = try GatewayHarness { Self.configure(&$0, shares: 2) }
        let first = try Self.share(harness, Array("one".utf8)).decode(Completion.self)
        #expect(try Self.share(harness, Array("two".utf8)).status == 201)
        let refused = try harness.declare(UploadRequest(filename: "q.txt", size: 5, contentType: "text/plain"), headers: Self.bearer)
        #expect(refused.status == 403 && refused.errorCode == .quotaExceeded)
        #expect(try Self.usage(harness) == TokenUsageReport(bytes: 6, shares: 2, maxBytes: nil, maxShares: 2, sharesToday: 2))
        let other: HTTPHeaders = [.init("Authorization", "Bearer another-token-0123456789abcdef")]
        #expect(try Self.share(harness, Array("other".utf8), headers: other).status == 201)  // each token has its own quota
        _ = try harness.call("DELETE", "/api/shares/\(first.share.id)", headers: [.init("Authorization", "Bearer \(first.deleteToken)")])
        #expect(try Self.usage(harness).shares == 1)
        #expect(try Self.share(harness, Array("three".utf8)).status == 201)
    }

    @Test func theSweepGivesADeadSharesBytesBack() throws {
        let harness = try GatewayHarness { Self.configure(&$0, bytes: 10) }
        #expect(try Self.share(harness, [UInt8](repeating: 0x61, count: 8), expiresIn: 60).status == 201)
        let refused = try Self.share(harness, [UInt8](repeating: 0x61, count: 8))
        #expect(refused.status == 403 && refused.errorCode == .quotaExceeded)
        harness.clock.advance(61)
        #expect(try harness.sweeper.sweep().shareObjects == 1)
        #expect(try Self.usage(harness).bytes == 0)
        #expect(try Self.share(harness, [UInt8](repeating: 0x61, count: 8)).status == 201)
    }

    @Test func aRetriedCompletionIsChargedOnce() throws {
        let harness = try GatewayHarness { Self.configure(&$0, bytes: 100) }
        let plan = try harness.declare(UploadRequest(filename: "q.txt", size: 4, contentType: "text/plain"), headers: Self.bearer).decode(
            UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), Array("once".utf8), headers: plan.headers ?? [:]).status == 200)
        #expect(try harness.call("POST", "/api/uploads/\(plan.id)/complete").status == 201)
        #expect(try harness.call("POST", "/api/uploads/\(plan.id)/complete").status == 200)
        #expect(try Self.usage(harness).bytes == 4)
    }

    @Test func twoGatewaysOnOneBucketNeverExceedTheQuota() throws {
        let first = try GatewayHarness { Self.configure(&$0, bytes: 3 * 1_000) }
        let second = try GatewayHarness(sharingStoreOf: first) { Self.configure(&$0, bytes: 3 * 1_000) }
        let gateways = [first, second]
        let statuses = Mutex([Int]())
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let status = (try? Self.share(gateways[index % 2], [UInt8](repeating: UInt8(0x61 + index), count: 1_000)).status) ?? -1
            statuses.withLock { $0.append(status) }
        }
        let all = statuses.withLock { $0 }
        #expect(all.filter { $0 == 201 }.count == 3)
        #expect(all.filter { $0 == 403 }.count == 5)
        let usage = try Self.usage(first)
        #expect(usage.bytes == 3_000 && usage.shares == 3)
        #expect(try first.client.listObjects(prefix: "shared/").objects.count == 3)  // the refused uploads were deleted
    }

    @Test func usageNeedsAToken() throws {
        let open = try GatewayHarness()
        #expect(try open.call("GET", "/api/usage").status == 404)
        let closed = try GatewayHarness { Self.configure(&$0, bytes: 1) }
        #expect(try closed.call("GET", "/api/usage").status == 401)
        #expect(try closed.call("GET", "/api/usage", headers: [.init("Authorization", "Bearer nope")]).status == 401)
    }
}
