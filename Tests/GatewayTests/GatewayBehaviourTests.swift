import DropgateAPI
import Foundation
import Gateway
import HTTPServer
import Testing

/// The gateway's behaviour, in-process over the embedded store's handler, with the clock moved by hand.
struct GatewayBehaviourTests {
    @Test func anUploadBecomesAShareThatServesTheSameBytes() throws {
        let harness = try GatewayHarness()
        let bytes = Array("hello, share".utf8)
        let completion = try harness.share("hello.txt", bytes)
        #expect(completion.share.url == "http://localhost:5001/s/\(completion.share.id)")
        let raw = try harness.call("GET", "/s/\(completion.share.id)/raw")
        #expect(raw.status == 302)
        let location = try #require(raw.headers["location"])
        #expect(try harness.get(location).body == bytes)
        let facts = try harness.call("GET", "/api/shares/\(completion.share.id)").decode(ShareFacts.self)
        #expect(facts.filename == "hello.txt" && facts.size == Int64(bytes.count) && facts.downloads == 1)
    }

    @Test func aShareExpiresWhenTheClockPassesItsExpiry() throws {
        let harness = try GatewayHarness()
        let completion = try harness.share("soon.txt", Array("bye".utf8), expiresIn: 60)
        let id = completion.share.id
        #expect(try harness.call("GET", "/s/\(id)").status == 200)
        harness.clock.advance(59)
        #expect(try harness.call("GET", "/s/\(id)").status == 200)
        harness.clock.advance(1)
        let page = try harness.call("GET", "/s/\(id)")
        #expect(page.status == 410 && page.text.contains("expired"))
        #expect(try harness.call("GET", "/s/\(id)/raw").status == 410)
        #expect(try harness.call("GET", "/api/shares/\(id)").errorCode == .shareUnavailable)
    }

    @Test(arguments: [1, 3])
    func downloadLimitsAllowExactlyThatManyDownloads(limit: Int) throws {
        let harness = try GatewayHarness()
        let id = try harness.share("counted.txt", Array("count me".utf8), maxDownloads: Int64(limit)).share.id
        for _ in 0..<limit {
            // A limited share is streamed through the gateway: no presigned URL to fetch again.
            let download = try harness.call("GET", "/s/\(id)/raw?download=1")
            #expect(download.status == 200 && download.body == Array("count me".utf8) && download.headers["location"] == nil)
            #expect(download.headers["content-disposition"]?.hasPrefix("attachment") == true)
        }
        let refused = try harness.call("GET", "/s/\(id)/raw")
        #expect(refused.status == 410 && refused.text.contains("download limit"))
    }

    @Test func revokingNeedsTheDeleteTokenAndRemovesTheObject() throws {
        let harness = try GatewayHarness()
        let completion = try harness.share("secret.txt", Array("revoke me".utf8))
        let id = completion.share.id
        let presigned = try #require(try harness.call("GET", "/s/\(id)/raw").headers["location"])
        let wrong = try harness.call("DELETE", "/api/shares/\(id)", headers: [.init("Authorization", "Bearer not-the-token")])
        #expect(wrong.status == 401 && wrong.errorCode == .unauthorized)
        let revoked = try harness.call("DELETE", "/api/shares/\(id)", headers: [.init("Authorization", "Bearer \(completion.deleteToken)")])
        #expect(revoked.status == 204)
        let page = try harness.call("GET", "/s/\(id)")
        #expect(page.status == 410 && page.text.contains("revoked"))
        #expect(try harness.get(presigned).status == 404)
        #expect(try harness.call("GET", "/s/\(id)/raw").status == 410)
    }

    @Test func aHostileFilenameIsEscapedInTheRenderedPage() throws {
        let harness = try GatewayHarness()
        let name = #"<script>alert("x")</script>'&.txt"#
        let id = try harness.share(name, Array("plain words".utf8)).share.id
        let page = try harness.call("GET", "/s/\(id)")
        #expect(page.status == 200)
        #expect(!page.text.contains("<script>alert"))
        #expect(page.text.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;.txt"))
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
    }

    @Test func theUploadURLExpiresWithTheClockAndTheIdWithIt() throws {
        let harness = try GatewayHarness()
        let plan = try harness.declare(UploadRequest(filename: "late.txt", size: 4, contentType: "text/plain")).decode(UploadPlan.self)
        harness.clock.advance(3_601)
        let late = try harness.put(try harness.requireURL(plan), Array("late".utf8), headers: plan.headers ?? [:])
        #expect(late.status == 403)
        harness.clock.advance(86_400)
        #expect(try harness.call("POST", "/api/uploads/\(plan.id)/complete").errorCode == .unknownUpload)
    }

    @Test func aMismatchedUploadIsDeletedAndListed() throws {
        let harness = try GatewayHarness()
        let plan = try harness.declare(UploadRequest(filename: "n.txt", size: 4, contentType: "text/plain")).decode(UploadPlan.self)
        let answer = try harness.call("POST", "/api/uploads/\(plan.id)/complete")
        #expect(answer.status == 422)
        let error = try answer.decode(APIErrorBody.self).error
        #expect(error.code == APIErrorCode.uploadMismatch.rawValue && error.mismatches?.map(\.code) == ["missing"])
    }

    @Test func staticPagesAndProbesAnswer() throws {
        let harness = try GatewayHarness()
        let index = try harness.call("GET", "/")
        #expect(index.status == 200 && index.headers["content-type"] == "text/html; charset=utf-8")
        #expect(try harness.call("GET", "/static/app.js").headers["content-type"] == "text/javascript; charset=utf-8")
        #expect(try harness.call("GET", "/healthz").decode(Status.self) == Status(status: "ok"))
        #expect(try harness.call("GET", "/readyz").decode(Status.self) == Status(status: "ready"))
        let limits = try harness.call("GET", "/api/limits").decode(UploadLimits.self)
        #expect(limits.maxBytes == GatewaySettings().uploads.maxBytes && !limits.tokenRequired)
    }

    @Test func keysComeFromTheInjectedRandomnessAndClock() throws {
        let harness = try GatewayHarness(random: RandomBytes { count in [UInt8](repeating: 0xAB, count: count) })
        let plan = try harness.declare(UploadRequest(filename: "a b.txt", size: 3, contentType: "text/plain")).decode(UploadPlan.self)
        #expect(plan.key == "uploads/2026/12/q6urq6urq6urq6urq6urqw/a_b.txt")
    }
}
