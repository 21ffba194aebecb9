import DropgateAPI
import Foundation
import HTTPServer
import Testing

@testable import Gateway

/// Limits that a stranger meets before the bucket does (issue 13), in-process with an injected clock.
struct ClientLimitTests {
    static let small = UploadRequest(filename: "a.txt", size: 10, contentType: "text/plain")

    @Test func aBurstFromOneAddressGets429WithRetryAfterWhileAnotherIsServed() throws {
        let harness = try GatewayHarness { $0.limits.uploadsPerMinute = 5 }
        for _ in 1...5 { #expect(try harness.declare(Self.small, from: "127.0.0.2:5000").status == 201) }
        let refused = try harness.declare(Self.small, from: "127.0.0.2:5001")
        #expect(refused.status == 429 && refused.errorCode == .rateLimited)
        #expect(refused.headers["retry-after"] == "12")  // one declaration comes back every 60/5 s
        #expect(try refused.decode(APIErrorBody.self).error.message.contains("at most 5 a minute"))
        #expect(try harness.declare(Self.small, from: "127.0.0.3:5000").status == 201)
        harness.clock.advance(12)
        #expect(try harness.declare(Self.small, from: "127.0.0.2:5002").status == 201)
        #expect(try harness.declare(Self.small, from: "127.0.0.2:5003").status == 429)
    }

    @Test func declaredBytesPerHourAreBounded() throws {
        let harness = try GatewayHarness { $0.limits.bytesPerHour = 1_000 }
        let big = UploadRequest(filename: "a.txt", size: 600, contentType: "text/plain")
        #expect(try harness.declare(big, from: "127.0.0.2:1").status == 201)
        let refused = try harness.declare(big, from: "127.0.0.2:1")
        #expect(refused.status == 429 && refused.headers["retry-after"] == "720")  // 200 bytes more at 1000/3600 per second
        #expect(try harness.declare(big, from: "127.0.0.3:1").status == 201)
    }

    @Test func pendingBytesAreReleasedByCompletionAndByExpiry() throws {
        let harness = try GatewayHarness {
            $0.limits.pendingBytesPerClient = 1_000
            $0.uploads.presignExpiry = 600
        }
        let bytes = [UInt8](repeating: 0x61, count: 600)
        let declaration = UploadRequest(filename: "a.txt", size: 600, contentType: "text/plain")
        let plan = try harness.declare(declaration, from: "127.0.0.2:1").decode(UploadPlan.self)
        let refused = try harness.declare(declaration, from: "127.0.0.2:1")
        #expect(refused.status == 429 && refused.errorCode == .rateLimited && refused.headers["retry-after"] == "600")
        #expect(try harness.declare(declaration, from: "127.0.0.3:1").status == 201)  // another address has its own bound
        #expect(try harness.put(try harness.requireURL(plan), bytes, headers: plan.headers ?? [:]).status == 200)
        #expect(try harness.call("POST", "/api/uploads/\(plan.id)/complete", from: "127.0.0.9:1").status == 201)
        let second = try harness.declare(declaration, from: "127.0.0.2:1")
        #expect(second.status == 201)  // completing (from any address) released the first
        #expect(try harness.declare(declaration, from: "127.0.0.2:1").status == 429)
        harness.clock.advance(601)  // the second expired without being completed
        #expect(try harness.declare(declaration, from: "127.0.0.2:1").status == 201)
    }

    @Test func forwardedForCountsOnlyFromATrustedProxy() throws {
        let harness = try GatewayHarness {
            $0.limits.uploadsPerMinute = 1
            $0.gateway.trustedProxies = ["10.0.0.1"]
        }
        let viaProxy = { (client: String) in try harness.declare(Self.small, headers: [.init("X-Forwarded-For", client)], from: "10.0.0.1:443") }
        #expect(try viaProxy("203.0.113.5").status == 201)
        #expect(try viaProxy("203.0.113.6").status == 201)  // another client behind the same proxy
        #expect(try viaProxy("203.0.113.5").status == 429)
        #expect(try viaProxy("198.51.100.7, 203.0.113.5").status == 429)  // a forged hop on the left changes nothing
        // From a peer that is not a trusted proxy the header is ignored: rotating it does not help.
        let direct = { (forged: String) in try harness.declare(Self.small, headers: [.init("X-Forwarded-For", forged)], from: "192.0.2.9:1") }
        #expect(try direct("203.0.113.100").status == 201)
        #expect(try direct("203.0.113.101").status == 429)
    }

    @Test(arguments: [
        ("1.2.3.4:80", [String](), "1.2.3.4"),
        ("[::ffff:1.2.3.4]:80", [], "1.2.3.4"),
        ("[2001:db8:1:2:3:4:5:6]:80", [], "2001:db8:1:2::/64"),
        ("10.0.0.1:1", ["203.0.113.5"], "203.0.113.5"),
        ("10.0.0.1:1", ["203.0.113.5, 10.0.0.2"], "203.0.113.5"),
        ("10.0.0.1:1", ["203.0.113.5", "10.0.0.2"], "203.0.113.5"),
        ("10.0.0.1:1", ["garbage"], "10.0.0.1"),
        ("10.0.0.1:1", ["2001:db8::1"], "2001:db8::/64"),
        ("10.0.0.9:1", ["203.0.113.5"], "10.0.0.9"),
    ])
    func clientAddresses(peer: String, forwarded: [String], expected: String) {
        let client = ClientAddress(peer: peer, forwardedFor: forwarded, trusted: ClientAddress.canonical(["10.0.0.1", "10.0.0.2"]))
        #expect(client.text == expected)
    }

    @Test func theClientTableStaysBounded() throws {
        let clock = TestClock()
        let limiter = ClientLimiter(
            bounds: .init(uploadsPerMinute: 10, bytesPerHour: 0, pendingBytes: 0, trackedClients: 100), now: { clock.now })
        for index in 0..<1_000 {
            try limiter.admit(ClientAddress.parse("10.0.\(index / 256).\(index % 256)")!, key: "k\(index)", size: 1, expiresAt: clock.now)
            clock.advance(0.001)
        }
        #expect(limiter.trackedCount <= 100)
    }

    @Test func developmentHasNoPerClientLimitsByDefaultAndEveryOtherEnvironmentHas() {
        var settings = GatewaySettings()
        #expect(settings.uploadsPerMinute == 0 && settings.bytesPerHour == 0 && settings.pendingBytesPerClient == 0)
        settings.environment = "production"
        #expect(settings.uploadsPerMinute == 60 && settings.bytesPerHour == 50 << 30 && settings.pendingBytesPerClient == 10 << 30)
        settings.limits.uploadsPerMinute = 0
        #expect(settings.uploadsPerMinute == 0)
    }

    @Test(arguments: [Int64(0), 6 << 20, 1 << 30, 100 << 30, 1 << 40, 5 << 40])
    func partPlansFollowS3sRules(size: Int64) {
        let part = UploadService.partSize(for: size, preferred: 16 << 20)
        #expect(part >= 5 << 20 && part <= 5 << 30)
        #expect((size + part - 1) / part <= 10_000)
    }

    @Test func aPlanForFiveTebibytesHasAtMostTenThousandSignedParts() throws {
        let harness = try GatewayHarness { $0.uploads.maxBytes = 5 << 40 }
        let plan = try harness.declare(UploadRequest(filename: "huge.bin", size: 5 << 40, contentType: "application/zip")).decode(UploadPlan.self)
        let multipart = try #require(plan.multipart)
        #expect(multipart.parts.count <= 10_000 && multipart.partSize >= (5 << 40) / 10_000)
        #expect(multipart.parts.last?.url.contains("content-length") == true)
    }

    @Test func theUploadIDExpiresWithItsURLs() throws {
        let harness = try GatewayHarness { $0.uploads.presignExpiry = 300 }
        let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 3, contentType: "text/plain")).decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), Array("abc".utf8), headers: plan.headers ?? [:]).status == 200)
        harness.clock.advance(301)
        let late = try harness.call("POST", "/api/uploads/\(plan.id)/complete")
        #expect(late.status == 404 && late.errorCode == .unknownUpload)
    }

    @Test func metricsOnTheGatewaysAddressNeedTheToken() throws {
        let open = try GatewayHarness()
        #expect(try open.call("GET", "/metrics").status == 404)
        let guarded = try GatewayHarness { $0.metrics.token = "metrics-token-0123456789" }
        #expect(try guarded.call("GET", "/metrics").status == 404)
        #expect(try guarded.call("GET", "/metrics", headers: [.init("Authorization", "Bearer wrong")]).status == 404)
        let allowed = try guarded.call("GET", "/metrics", headers: [.init("Authorization", "Bearer metrics-token-0123456789")])
        #expect(allowed.status == 200 && allowed.text.contains("dropgate_http_requests_total"))
    }
}

extension ClientLimitTests {
    @Test func aByteLimitBelowTheLargestUploadIsRefusedAtStartup() {
        var settings = GatewaySettings()
        settings.environment = "production-like"
        settings.storage.accessKeyId = "key"
        settings.storage.secretAccessKey = "secret"
        settings.uploads.maxBytes = 100 << 30
        let refusal = #expect(throws: GatewaySettingsError.self) { try settings.validate() }  // 50 GiB an hour could never admit it
        #expect(refusal?.message.hasPrefix("limits.bytesPerHour (53687091200) is below uploads.maxBytes") == true)
        settings.limits.bytesPerHour = 0
        settings.limits.pendingBytesPerClient = 200 << 30
        #expect(throws: Never.self) { try settings.validate() }
    }
}

extension ClientLimitTests {
    @Test func emptyUploadsCannotGrowThePendingTableWithoutBound() throws {
        let clock = TestClock()
        let limiter = ClientLimiter(bounds: .init(uploadsPerMinute: 0, bytesPerHour: 0, pendingBytes: 1, trackedClients: 10), now: { clock.now })
        let client = try #require(ClientAddress.parse("10.1.2.3"))
        for index in 0..<ClientLimiter.maximumPendingUploads {
            try limiter.admit(client, key: "k\(index)", size: 0, expiresAt: clock.now.addingTimeInterval(60))
        }
        #expect(throws: ClientLimiter.Refusal.self) { try limiter.admit(client, key: "one-more", size: 0, expiresAt: clock.now) }
        limiter.release(key: "k0")
        try limiter.admit(client, key: "after-release", size: 0, expiresAt: clock.now.addingTimeInterval(60))
    }
}

extension ClientLimitTests {
    @Test func trustedProxiesAreExemptFromTheConnectionBoundInTheFormTheServerSees() {
        var settings = GatewaySettings()
        settings.gateway.trustedProxies = ["::FFFF:10.0.0.1", "2001:DB8:0::1", "not an address"]
        settings.limits.connectionsPerClient = 7
        #expect(settings.httpLimits.connectionBoundExemptions == ["10.0.0.1", "2001:db8::1"])
        #expect(settings.httpLimits.maximumConnectionsPerClient == 7)
    }
}
