import DropgateAPI
import Foundation
import Testing

@testable import Gateway

/// Mail as the gateway writes it (issue 31): one address per recipient and nothing else, headers that no user text
/// can break, and both parts from one template. Delivery through a real SMTP server is in `test_mail.py`.
struct MailMessageTests {
    @Test(arguments: [
        "a@example.org\r\nBcc: evil@example.org", "Ada <ada@example.org>", "a@b", "a@example.org, b@example.org", "a\u{0}@example.org",
        "@example.org",
        "a@", "a..b@example.org", ".a@example.org", "a@-example..org", "a b@example.org", String(repeating: "a", count: 65) + "@example.org",
    ])
    func refusesWhatIsNotOneAddress(_ typed: String) {
        #expect(throws: MailMessage.Refusal.self) { try MailMessage.address(typed) }
    }

    @Test func takesPlainAddresses() throws {
        for typed in ["ada@example.org", " Grace.Hopper+dropgate@mail.example.co.uk ", "o'brien@example.ie"] {
            #expect(try MailMessage.address(typed) == typed.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func headersCannotBeInjectedAndNonASCIIIsEncoded() throws {
        let message = MailMessage(
            to: ["ada@example.org"], subject: "Grace\r\nBcc: evil@example.org shared “plans”",
            paragraphs: [.init(text: "<script>alert(1)</script>\nline two", link: "https://drop.example.org/s/abc?x=1&y=\"2\"")])
        let bytes = String(
            decoding: message.bytes(from: "\"Dropgate\" <drop@example.org>", messageID: "id@example.org", date: Date(), boundary: "b"), as: UTF8.self)
        let headers = bytes.components(separatedBy: "\r\n\r\n")[0]
        #expect(!headers.contains("\r\nBcc:") && headers.contains("Subject: =?UTF-8?B?"))
        #expect(message.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;<br>line two"))
        #expect(message.html.contains("<a href=\"https://drop.example.org/s/abc?x=1&amp;y=&quot;2&quot;\">"))
        #expect(message.text == "<script>alert(1)</script>\nline two\nhttps://drop.example.org/s/abc?x=1&y=\"2\"\n")
    }

    @Test func readsTheFromSetting() throws {
        #expect(try MailQueue.sender("Dropgate <drop@example.org>") == ("\"Dropgate\" <drop@example.org>", "drop@example.org"))
        #expect(try MailQueue.sender("drop@example.org") == ("drop@example.org", "drop@example.org"))
        #expect(try MailQueue.sender("Dröpgate <drop@example.org>").header.hasPrefix("=?UTF-8?B?"))
        #expect(throws: MailMessage.Refusal.self) { try MailQueue.sender("Dropgate <not an address>") }
    }

    @Test func aBadRecipientIsRefusedAtTheAPI() throws {
        let harness = try GatewayHarness {
            $0.mail.host = "127.0.0.1"
            $0.mail.from = "drop@example.org"
        }
        let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 1, contentType: "text/plain")).decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), [65], headers: plan.headers ?? [:]).status == 200)
        let made = try harness.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest()).decode(Completion.self)
        let refused = try harness.call(
            "POST", "/api/shares/\(made.share.id)/mail", json: ShareMail(to: ["a@example.org\r\nBcc: b@example.org"]),
            headers: [.init("Authorization", "Bearer \(made.deleteToken)")])
        #expect(refused.status == 400 && refused.errorCode == .invalidMail)
    }
}
