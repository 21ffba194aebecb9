import DropgateAPI
import Foundation
import Testing

@testable import Gateway

/// QR codes of share links, drawn by the gateway from libqrencode.
struct QRCodeTests {
    @Test func aLinkBecomesASquareSVGWithAQuietZone() throws {
        let code = try #require(QRCode("http://localhost:5001/s/AAAAAAAAAAAAAAAAAAAAAA"))
        #expect((21...177).contains(code.size) && (code.size - 17) % 4 == 0)  // a QR version's side
        #expect(code.modules.count == code.size * code.size)
        #expect(code.modules[0] && code.modules[code.size - 1])  // the finder patterns' corners are dark
        let svg = code.svg(title: "QR code of <a link> & more")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("viewBox=\"0 0 \(code.size + 8) \(code.size + 8)\""))
        #expect(svg.contains("<title id=\"t\">QR code of &lt;a link&gt; &amp; more</title>"))
        #expect(svg.contains("M4 4h7v1h-7z"))  // the top-left finder's first row
    }

    @Test func tooLongATextIsNoCode() {
        #expect(QRCode(String(repeating: "x", count: 5_000)) == nil)
        #expect(QRCode("") == nil)
    }

    @Test func theRouteAnswersTheShareLinkAndRefusesUnknownShares() throws {
        let harness = try GatewayHarness()
        let done = try harness.share("q.txt", Array("q".utf8))
        let answer = try harness.call("GET", "/s/\(done.share.id)/qr.svg")
        #expect(answer.status == 200 && answer.headers["content-type"] == "image/svg+xml")
        #expect(answer.text.contains("QR code of \(done.share.url)"))
        #expect(try harness.call("GET", "/s/AAAAAAAAAAAAAAAAAAAAAA/qr.svg").status == 404)
    }
}
