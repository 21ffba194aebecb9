import CurlHTTP
import DropgateAPI
import Foundation
import Gateway
import HTTPServer
import Testing

/// What is shared is what was verified, and it cannot attack the viewer (issue 12), in-process over the store.
struct ShareSafetyTests {
    @Test func completingAgainGivesTheSameShareAndARevokedOneCannotComeBack() throws {
        let harness = try GatewayHarness()
        let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 3, contentType: "text/plain")).decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), Array("abc".utf8), headers: plan.headers ?? [:]).status == 200)
        let first = try harness.call("POST", "/api/uploads/\(plan.id)/complete")
        let again = try harness.call("POST", "/api/uploads/\(plan.id)/complete")
        #expect(first.status == 201 && again.status == 200)
        let (one, two) = (try first.decode(Completion.self), try again.decode(Completion.self))
        #expect(one.share == two.share && one.deleteToken == two.deleteToken)
        let revoke = try harness.call("DELETE", "/api/shares/\(one.share.id)", headers: [.init("Authorization", "Bearer \(one.deleteToken)")])
        #expect(revoke.status == 204)
        let after = try harness.call("POST", "/api/uploads/\(plan.id)/complete")
        #expect(after.status == 410 && after.errorCode == "share_unavailable")
    }

    @Test func aSecondPUTAfterCompletionCannotChangeWhatTheShareServes() throws {
        let harness = try GatewayHarness()
        let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 8, contentType: "text/plain")).decode(UploadPlan.self)
        let url = try harness.requireURL(plan)
        #expect(try harness.put(url, Array("verified".utf8), headers: plan.headers ?? [:]).status == 200)
        let share = try harness.call("POST", "/api/uploads/\(plan.id)/complete").decode(Completion.self).share
        _ = try harness.put(url, Array("swapped!".utf8), headers: plan.headers ?? [:])  // the staging key is free again: harmless
        let location = try #require(try harness.call("GET", "/s/\(share.id)/raw").headers["location"])
        #expect(try harness.get(location).body == Array("verified".utf8))
    }

    @Test func aRepostedFormCannotChangeWhatTheShareServes() throws {
        let harness = try GatewayHarness()
        let plan = try harness.declare(UploadRequest(filename: "f.txt", size: 8, contentType: "text/plain", mode: .post)).decode(UploadPlan.self)
        func post(_ text: String) throws -> Int {
            let boundary = "dropgate-test-boundary"
            var body = ""
            for (name, value) in (plan.fields ?? [:]).sorted(by: { $0.key < $1.key }) {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\nContent-Type: text/plain\r\n\r\n\(text)\r\n--\(boundary)--\r\n"
            let call = HTTPCall(
                method: "POST", url: try harness.requireURL(plan), headers: [.init("Content-Type", "multipart/form-data; boundary=\(boundary)")],
                body: .bytes(Array(body.utf8)))
            return try harness.transport.perform(call, progress: nil).status
        }
        #expect(try post("verified") == 201)
        let share = try harness.call("POST", "/api/uploads/\(plan.id)/complete").decode(Completion.self).share
        #expect(try post("swapped!") == 201)  // the form is still valid for the staging key
        let location = try #require(try harness.call("GET", "/s/\(share.id)/raw").headers["location"])
        #expect(try harness.get(location).body == Array("verified".utf8))
    }

    @Test func anUnsignedContentEncodingIsRefusedAndDeleted() throws {
        let harness = try GatewayHarness()
        let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 3, contentType: "text/plain")).decode(UploadPlan.self)
        var headers = plan.headers ?? [:]
        headers["Content-Encoding"] = "gzip"
        #expect(try harness.put(try harness.requireURL(plan), Array("abc".utf8), headers: headers).status == 200)
        let answer = try harness.call("POST", "/api/uploads/\(plan.id)/complete")
        #expect(answer.status == 422)
        #expect(try answer.decode(APIErrorBody.self).error.mismatches?.map(\.code) == ["unsigned_header"])
    }

    @Test func aLimitedShareHandsOutNoUncountedURLAndHEADCountsNothing() throws {
        let harness = try GatewayHarness()
        let completion = try harness.share("once.png", [0x89, 0x50, 0x4E, 0x47], type: "image/png", maxDownloads: 1)
        let id = completion.share.id
        let page = try harness.call("GET", "/s/\(id)")
        #expect(page.status == 200 && !page.text.contains("X-Amz-Signature") && page.text.contains("no preview"))
        #expect(!completion.viewUrl.contains("X-Amz-Signature") && !completion.downloadUrl.contains("X-Amz-Signature"))
        for _ in 0..<3 { #expect(try harness.call("HEAD", "/s/\(id)/raw").status == 200) }
        #expect(try harness.call("GET", "/s/\(id)/raw").status == 302)
        #expect(try harness.call("GET", "/s/\(id)/raw?download=1").status == 410)
        #expect(try harness.call("HEAD", "/s/\(id)/raw").status == 410)
    }

    @Test(arguments: [
        ("page.html", "text/html", false), ("image.svg", "image/svg+xml", false), ("data.json", "application/json", false),
        ("photo.png", "image/png", true), ("notes.txt", "text/plain", true),
    ])
    func onlySafeTypesRenderInlineAndEverythingIsPinned(name: String, type: String, inline: Bool) throws {
        let harness = try GatewayHarness { $0.uploads.allowedTypes = ["*/*"] }
        let id = try harness.share(name, Array("<svg onload=alert(1)>".utf8), type: type).share.id
        let location = try #require(try harness.call("GET", "/s/\(id)/raw").headers["location"])
        let served = try harness.get(location)
        let disposition = served.header("content-disposition") ?? ""
        #expect(disposition.hasPrefix(inline ? "inline" : "attachment"))
        #expect(served.header("x-content-type-options") == "nosniff")
        #expect((served.header("content-security-policy") == "sandbox") == !inline)
        #expect(served.header("content-type") == (type.hasPrefix("text/") ? type + "; charset=utf-8" : type))
        let page = try harness.call("GET", "/s/\(id)")
        #expect(page.text.contains("id=\"preview\"") == inline)
    }
}
