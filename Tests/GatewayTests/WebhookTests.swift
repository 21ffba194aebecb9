import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import Testing

@testable import Gateway

/// Webhooks (issue 31), in-process with the clock moved by hand: Standard Webhooks signatures, targets refused after
/// resolution, one queued delivery per event however often it is seen, backoff, and an endpoint disabled after its
/// last failed attempt. Real deliveries to a real receiver are in `test_webhooks.py`.
struct WebhookTests {
    /// The example of the Standard Webhooks specification and its reference libraries.
    @Test func signsAsTheSpecificationsExample() throws {
        let key = try #require(WebhookSignature.key(of: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signed = WebhookSignature.sign(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8), key: key)
        #expect(signed == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(WebhookSignature.key(of: "whsec_short") == nil && WebhookSignature.key(of: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == nil)
        #expect(WebhookSignature.key(of: WebhookSignature.newSecret())?.count == 24)
    }

    @Test(arguments: [
        "127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::",
        "::ffff:127.0.0.1", "fd00:ec2::254", "fe80::1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1",
    ])
    func privateAddressesAreNeverTargets(address: String) throws {
        let bytes = try #require(IPAddressText.ipv4Bytes(address) ?? IPAddressText.ipv6Bytes(address))
        #expect(WebhookTarget.forbidden(bytes) != nil)
        #expect(throws: WebhookTarget.Refusal.self) { try WebhookTarget.check("https://[\(address)]/hook", allowHTTP: false, allowed: []) }
    }

    @Test func publicAddressesAndTheAllowlistPass() throws {
        for address in ["93.184.215.14", "2606:4700::1111", "8.8.8.8"] {
            #expect(WebhookTarget.forbidden(try #require(IPAddressText.ipv4Bytes(address) ?? IPAddressText.ipv6Bytes(address))) == nil)
        }
        let pinned = try WebhookTarget.check("http://127.0.0.1:9/hook", allowHTTP: true, allowed: ["127.0.0.1"])
        #expect(pinned.pin == "127.0.0.1:9:127.0.0.1")
        // A name that resolves to loopback is refused after the lookup, whatever it is called.
        #expect(throws: WebhookTarget.Refusal.self) { try WebhookTarget.check("http://localhost:9/", allowHTTP: true, allowed: []) }
        #expect(throws: WebhookTarget.Refusal.self) { try WebhookTarget.check("http://8.8.8.8/", allowHTTP: false, allowed: []) }
        #expect(throws: WebhookTarget.Refusal.self) { try WebhookTarget.check("https://user:pw@example.org/", allowHTTP: false, allowed: []) }
    }

    @Test func registrationRefusesInPlainWords() throws {
        let harness = try GatewayHarness { $0.webhooks.maxPerUser = 1 }
        let bearer = try CollectionEditTests.owner(harness)
        for (body, words) in [
            (WebhookCreate(url: "http://example.org/hook"), "https://"), (WebhookCreate(url: "https://127.0.0.1/hook"), "loopback"),
            (WebhookCreate(url: "https://localhost/hook"), "this machine"), (WebhookCreate(url: "https://[fe80::1]/"), "link-local"),
            (WebhookCreate(url: "https://example.org/", events: ["share.deleted"]), "not an event"), (WebhookCreate(url: "not a url"), "https://"),
        ] {
            let refused = try harness.call("POST", "/api/me/webhooks", json: body, headers: bearer)
            #expect(refused.status == 400 && refused.errorCode == .invalidWebhook && refused.text.contains(words), "\(refused.text)")
        }
        #expect(try harness.call("POST", "/api/me/webhooks", json: WebhookCreate(url: "https://example.org/a"), headers: bearer).status == 201)
        let second = try harness.call("POST", "/api/me/webhooks", json: WebhookCreate(url: "https://example.org/b"), headers: bearer)
        #expect(second.status == 409 && second.errorCode == .tooManyWebhooks)
        #expect(try harness.call("GET", "/api/me/webhooks").status == 401)
    }

    @Test func anEventSeenTwiceIsQueuedOnceAndAFailingEndpointIsRetriedThenDisabled() throws {
        let harness = try LifecycleTests.harness {
            $0.webhooks.allowHTTP = true
            $0.webhooks.allowedTargets = ["127.0.0.1"]
            $0.webhooks.firstRetry = 10
            $0.webhooks.attempts = 3
            $0.mail.host = "127.0.0.1"
            $0.mail.from = "drop@example.org"
        }
        let bearer = try CollectionEditTests.owner(harness)
        // The owner's profile, as the first sign-in writes it: their address, for the mail that says the endpoint was disabled.
        let owner = Base64URL.encode([UInt8](repeating: 7, count: 16))
        let profile = AccountProfiles.Profile(subject: "s", name: "Bob", email: "bob@example.org", firstSeenAt: 0)
        _ = try harness.client.create(key: AccountProfiles.root + owner + "/profile.json", body: try APIJSON.encode(profile))
        // Port 9 on loopback: nothing listens, so every attempt fails at once.
        let made = try harness.call(
            "POST", "/api/me/webhooks", json: WebhookCreate(url: "http://127.0.0.1:9/hook", events: ["share.revoked"]), headers: bearer)
        #expect(made.status == 201, "\(made.text)")
        let endpoint = try made.decode(WebhookCreated.self).webhook.id
        let receipt = try harness.receipt("a.txt", Array("abcd".utf8), headers: bearer)
        let share = try harness.collect([receipt], expiresIn: 86_400, headers: bearer).decode(Completion.self).share
        // Revoked on two "gateways" of one bucket, twice: one delivery is queued.
        let other = try GatewayHarness(sharingStoreOf: harness) {
            $0.webhooks.allowHTTP = true
            $0.webhooks.allowedTargets = ["127.0.0.1"]
        }
        for gateway in [harness, other, harness] {
            _ = try gateway.call("DELETE", "/api/shares/\(share.id)", headers: bearer)
        }
        #expect(try LifecycleTests.keys(harness, WebhookStore.queuePrefix).count == 1)
        let delivery = harness.gateway.makeNoticeDelivery()
        #expect(delivery.deliverOnce() == 1)
        #expect(delivery.deliverOnce() == 0)  // not due for 10 s
        harness.clock.advance(10)
        #expect(delivery.deliverOnce() == 1)
        harness.clock.advance(39)
        #expect(delivery.deliverOnce() == 0)  // 40 s after the second failure
        harness.clock.advance(1)
        #expect(delivery.deliverOnce() == 2)  // the last attempt, and the mail that tells the owner (nothing listens on 587 either)
        #expect(try LifecycleTests.keys(harness, WebhookStore.queuePrefix).isEmpty)
        let listed = try harness.call("GET", "/api/me/webhooks", headers: bearer).decode(WebhookList.self)
        let summary = try #require(listed.webhooks.first { $0.id == endpoint })
        #expect(summary.deliveries.map(\.attempt) == [3, 2, 1] && summary.deliveries.allSatisfy { $0.type == "share.revoked" })
        #expect(summary.disabled?.contains("3 failed attempts") == true && summary.deliveries[0].error?.contains("could not be reached") == true)
        let told = try LifecycleTests.keys(harness, MailQueue.prefix)
        #expect(told.count == 1 && told[0].contains("webhook-disabled-\(endpoint)"))
        // Disabled: no more is queued for it; enabled again, events are.
        let receipt2 = try harness.receipt("b.txt", Array("efgh".utf8), headers: bearer)
        let share2 = try harness.collect([receipt2], expiresIn: 86_400, headers: bearer).decode(Completion.self).share
        harness.clock.advance(6)  // past the endpoints' cache
        _ = try harness.call("DELETE", "/api/shares/\(share2.id)", headers: bearer)
        #expect(try LifecycleTests.keys(harness, WebhookStore.queuePrefix).isEmpty)
        #expect(try harness.call("POST", "/api/me/webhooks/\(endpoint)/enable", headers: bearer).status == 200)
        let receipt3 = try harness.receipt("c.txt", Array("ijkl".utf8), headers: bearer)
        let share3 = try harness.collect([receipt3], expiresIn: 86_400, headers: bearer).decode(Completion.self).share
        _ = try harness.call("DELETE", "/api/shares/\(share3.id)", headers: bearer)
        #expect(try LifecycleTests.keys(harness, WebhookStore.queuePrefix).count == 1)
    }

    @Test func backoffGrowsFourfoldUpToSixHours() {
        #expect((1...8).map { RetryQueue<MailMessage>.backoff(after: $0, first: 5) } == [5, 20, 80, 320, 1_280, 5_120, 20_480, 21_600])
    }
}
