import CurlHTTP
import DropgateAPI
import Foundation
import Gateway
import HTTPServer
import Testing

/// Real bytes of the types the tests upload, so libmagic sees what a browser would.
enum Samples {
    /// A 1×1 PNG (signature, IHDR, IDAT, IEND).
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x01,
        0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0,
        0x00,
        0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
    static let html = Array("<!doctype html><html><head><title>x</title></head><body><script>document.title='pwned'</script></body></html>".utf8)
    static let svg = Array(#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="document.title='pwned'"><rect/></svg>"#.utf8)
    /// The start of a Windows executable (MZ header, PE signature).
    static let executable: [UInt8] =
        [0x4D, 0x5A, 0x90, 0x00] + [UInt8](repeating: 0, count: 56) + [0x80, 0, 0, 0] + [UInt8](repeating: 0, count: 64)
        + [0x50, 0x45, 0x00, 0x00, 0x4C, 0x01] + [UInt8](repeating: 0, count: 300)
}

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
        #expect(after.status == 410 && after.errorCode == .shareUnavailable)
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
        let completion = try harness.share("once.png", Samples.png, type: "image/png", maxDownloads: 1)
        let id = completion.share.id
        let page = try harness.call("GET", "/s/\(id)")
        #expect(page.status == 200 && !page.text.contains("X-Amz-Signature") && page.text.contains("no preview"))
        #expect(!completion.viewUrl.contains("X-Amz-Signature") && !completion.downloadUrl.contains("X-Amz-Signature"))
        for _ in 0..<3 { #expect(try harness.call("HEAD", "/s/\(id)/raw").status == 200) }
        let streamed = try harness.call("GET", "/s/\(id)/raw")
        #expect(streamed.status == 200 && streamed.body == Samples.png && streamed.headers["x-content-type-options"] == "nosniff")
        #expect(try harness.call("GET", "/s/\(id)/raw?download=1").status == 410)
        #expect(try harness.call("HEAD", "/s/\(id)/raw").status == 410)
    }

    @Test(arguments: [
        ("page.html", "text/html", Samples.html, false), ("image.svg", "image/svg+xml", Samples.svg, false),
        ("data.json", "application/json", Array(#"{"a": [1, 2, 3], "b": "x"}"#.utf8), false), ("photo.png", "image/png", Samples.png, true),
        ("notes.txt", "text/plain", Array("hello, plain text\n".utf8), true),
    ])
    func onlySafeTypesRenderInlineAndEverythingIsPinned(name: String, type: String, bytes: [UInt8], inline: Bool) throws {
        let harness = try GatewayHarness { $0.uploads.allowedTypes = ["*/*"] }
        let id = try harness.share(name, bytes, type: type).share.id
        let location = try #require(try harness.call("GET", "/s/\(id)/raw").headers["location"])
        let served = try harness.get(location)
        let disposition = served.header("content-disposition") ?? ""
        #expect(disposition.hasPrefix(inline ? "inline" : "attachment"))
        #expect(served.header("x-content-type-options") == "nosniff")
        #expect((served.header("content-security-policy") == "sandbox") == !inline)
        #expect(served.header("content-type") == (type.hasPrefix("text/") ? type + "; charset=utf-8" : type))
        let page = try harness.call("GET", "/s/\(id)")
        // Rendered by the browser (an element with the file as its source) only when safe; JSON is drawn by the page's
        // script as text nodes (a code preview), which is not rendering it.
        let rendered = ["<img id=\"preview\"", "<iframe id=\"preview\"", "<video id=\"preview\"", "<audio id=\"preview\""]
        #expect(rendered.contains { page.text.contains($0) } == inline)
        #expect(page.text.contains("class=\"code-preview\"") == (type == "application/json"))
    }

    @Test(arguments: [
        ("fake.png", "image/png", Samples.html), ("fake.png", "image/png", Samples.svg), ("report.pdf", "application/pdf", Samples.executable),
        ("notes.txt", "text/plain", Samples.html), ("notes.txt", "text/plain", [0x61, 0xFF, 0xFE, 0x62] + Array(repeating: 0x61, count: 100)),
    ])
    func bytesThatAreNotTheDeclaredTypeAreRefusedAndDeleted(name: String, type: String, bytes: [UInt8]) throws {
        let harness = try GatewayHarness()
        let plan = try harness.declare(UploadRequest(filename: name, size: Int64(bytes.count), contentType: type)).decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), bytes, headers: plan.headers ?? [:]).status == 200)
        let answer = try harness.call("POST", "/api/uploads/\(plan.id)/complete")
        #expect(answer.status == 422 && answer.errorCode == .typeMismatch, "\(answer.text)")
        let message = try answer.decode(APIErrorBody.self).error.message
        #expect(message.contains(InlineSafetyProbe.essence(type)) && message.contains("but its bytes are"))
        #expect(try harness.call("POST", "/api/uploads/\(plan.id)/complete").status == 422)  // deleted: now missing
    }

    @Test func everyPageForbidsInlineScriptFramingSniffingAndReferrers() throws {
        let harness = try GatewayHarness()
        let id = try harness.share("n.txt", Array("words".utf8)).share.id
        for target in ["/", "/s/\(id)", "/s/AAAAAAAAAAAAAAAAAAAAAA"] {
            let page = try harness.call("GET", target)
            let policy = try #require(page.headers["content-security-policy"], "\(target)")
            #expect(!policy.contains("unsafe-inline") && policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"))
            #expect(policy.contains("frame-src 'self' blob: http://store.test"))
            #expect(page.headers["x-content-type-options"] == "nosniff" && page.headers["referrer-policy"] == "no-referrer")
            #expect(!page.text.contains(" onsubmit=") && !page.text.contains(" onclick=") && !page.text.contains(" onload="))
            #expect(!page.text.contains("<script>"))
        }
    }

    @Test func aPartURLRefusesOneByteMoreThanPlanned() throws {
        let harness = try GatewayHarness()
        let size: Int64 = 5 * 1024 * 1024 + 10
        let plan = try harness.declare(UploadRequest(filename: "big.bin", size: size)).decode(UploadPlan.self)
        let parts = try #require(plan.multipart).parts
        #expect(parts.count == 2 && parts.allSatisfy { $0.url.contains("X-Amz-SignedHeaders=content-length%3Bhost") })
        #expect(try harness.put(parts[1].url, [UInt8](repeating: 7, count: 11)).status == 403)
        #expect(try harness.put(parts[1].url, [UInt8](repeating: 7, count: 10)).status == 200)
    }
}

/// The essence as the gateway names types in messages.
enum InlineSafetyProbe {
    static func essence(_ type: String) -> String { type.split(separator: ";")[0].lowercased() }
}
