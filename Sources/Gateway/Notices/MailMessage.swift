import DropgateAPI
import Foundation
import HTTPWire

/// A mail the gateway sends: recipients, a subject, and paragraphs that give the plain-text part and the HTML part
/// from one template. Nothing a user typed reaches a header but the recipients, and each is a checked address; the
/// subject and the From name are encoded words when they are not plain ASCII, so no header can be injected.
struct MailMessage: Codable, Sendable, Equatable {
    /// A paragraph: its text, and a link shown after it.
    struct Paragraph: Codable, Sendable, Equatable {
        var text: String
        var link: String? = nil
    }

    var to: [String]
    var subject: String
    var paragraphs: [Paragraph]

    struct Refusal: Error, CustomStringConvertible {
        /// Why, for people.
        var wording: Wording
        init(description wording: Wording) { self.wording = wording }
        var description: String { wording.english }
    }

    /// A recipient as typed, checked: `local@domain` (a dot-atom and a host name), at most 254 bytes, nothing else.
    static func address(_ typed: String) throws -> String {
        let text = typed.trimmingCharacters(in: .whitespaces)
        let atoms = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-.")
        let labels = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.")
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty, local.count <= 64,
            domain.contains("."), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."), !domain.hasPrefix("."),
            !domain.hasSuffix("."), !domain.contains(".."), local.unicodeScalars.allSatisfy(atoms.contains),
            domain.unicodeScalars.allSatisfy(labels.contains)
        else {
            let shown = String(String.UnicodeScalarView(typed.unicodeScalars.prefix(80).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
            throw Refusal(description: "\(shown, as: "address") is not a mail address this gateway sends to (name@example.org, nothing else).")
        }
        return text
    }

    /// The plain-text part.
    var text: String {
        paragraphs.map { paragraph in paragraph.link.map { "\(paragraph.text)\n\($0)" } ?? paragraph.text }.joined(separator: "\n\n") + "\n"
    }

    /// The HTML part: the same paragraphs, escaped, links as links.
    var html: String {
        let body = paragraphs.map { paragraph in
            let text = Self.escape(paragraph.text).replacingOccurrences(of: "\n", with: "<br>")
            let link = paragraph.link.map { "<br><a href=\"\(Self.escape($0))\">\(Self.escape($0))</a>" } ?? ""
            return "<p>\(text)\(link)</p>"
        }.joined(separator: "\n")
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>\(Self.escape(subject))</title></head>\n<body>\n\(body)\n</body></html>\n"
    }

    static func escape(_ text: String) -> String { ViewPage.escape(text) }

    /// A header value: as it is when printable ASCII, else RFC 2047 encoded words (UTF-8, base64).
    static func headerWord(_ text: String) -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        if clean.unicodeScalars.allSatisfy({ $0.value < 0x7F }) { return clean }
        var words: [String] = []
        var chunk = ""
        for character in clean {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        words.append(chunk)
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// The whole message, CRLF line ends: headers, then a multipart/alternative body with both parts in base64.
    func bytes(from: String, messageID: String, date: Date, boundary: String) -> [UInt8] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        func base64Lines(_ text: String) -> String {
            let encoded = Data(text.utf8).base64EncodedString()
            return stride(from: 0, to: encoded.count, by: 76).map { start in
                let from = encoded.index(encoded.startIndex, offsetBy: start)
                return String(encoded[from..<encoded.index(from, offsetBy: min(76, encoded.count - start))])
            }.joined(separator: "\r\n")
        }
        let lines = [
            "From: \(from)", "To: \(to.joined(separator: ", "))", "Subject: \(Self.headerWord(subject))", "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)>", "MIME-Version: 1.0", "Auto-Submitted: auto-generated",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "", "--\(boundary)", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64", "", base64Lines(text), "--\(boundary)", "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: base64", "", base64Lines(html), "--\(boundary)--", "",
        ]
        return Array(lines.joined(separator: "\r\n").utf8)
    }
}
