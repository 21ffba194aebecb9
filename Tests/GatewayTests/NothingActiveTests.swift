import DropgateAPI
import Foundation
import S3Common
import Testing

@testable import Gateway

/// Issue 27, item 6: nothing a file or its name holds can act on a viewer. Text is always UTF-8, PDFs are never shown
/// inline, and bidirectional controls never reach a page, a header or the CLI.
struct NothingActiveTests {
    @Test(arguments: [
        ("text/plain; charset=utf-7", "text/plain; charset=utf-8"), ("text/plain; charset=ISO-8859-1", "text/plain; charset=utf-8"),
        ("text/csv", "text/csv; charset=utf-8"), ("image/png", "image/png"), ("not a type", "application/octet-stream"),
    ])
    func textIsServedAsUTF8Whatever(declared: String, served: String) {
        #expect(ShareService.servedType(declared) == served)
    }

    @Test(arguments: [
        "invoice\u{202E}txt.exe", "\u{2067}report\u{2069}.pdf", "a\u{200F}b\u{200E}c\u{061C}.txt", "\u{202A}\u{202B}\u{202C}\u{202D}x.txt",
    ])
    func bidirectionalControlsAreRemovedFromNames(name: String) throws {
        let harness = try GatewayHarness()
        let done = try harness.share(name, Array("hello".utf8))
        let facts = try harness.call("GET", "/api/shares/\(done.share.id)").decode(ShareFacts.self)
        #expect(facts.filename.unicodeScalars.allSatisfy { !UploadDeclaration.isBidiControl($0) })
        #expect(facts.filename == String(String.UnicodeScalarView(name.unicodeScalars.filter { !UploadDeclaration.isBidiControl($0) })))
        let page = try harness.call("GET", "/s/\(done.share.id)")
        #expect(!page.text.unicodeScalars.contains { UploadDeclaration.isBidiControl($0) })
        let raw = try harness.call("GET", "/s/\(done.share.id)/raw")
        let location = try #require(raw.headers["location"])
        #expect(!location.contains("%E2%80%AE") && !location.contains("%E2%81%A7"))
    }

    @Test func aNameOfNothingButControlsIsRefused() throws {
        let harness = try GatewayHarness()
        let answer = try harness.declare(UploadRequest(filename: "\u{202E}\u{202C}", size: 1, contentType: "text/plain"))
        #expect(answer.status == 400 && answer.errorCode == .invalidFilename)
    }

    @Test func aPDFIsNeverInline() {
        #expect(!InlineSafety.isSafeInline("application/pdf"))
        #expect(InlineSafety.isSafeInline("text/plain; charset=utf-8") && InlineSafety.isSafeInline("image/png"))
    }
}
