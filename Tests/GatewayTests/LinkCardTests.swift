import Foundation
import Testing

@testable import Gateway

/// A share's link card (issue 33): made from the record alone, every value escaped, and nothing of a share behind a
/// password or encrypted.
struct LinkCardTests {
    static func record(_ names: [String], password: Bool = false, encrypted: Bool = false) throws -> ShareRecord {
        let files = names.enumerated().map { index, name in
            SharedFile(key: "shared/2026/12/AAAAAAAAAAAAAAAAAAAAA\(index)/f", filename: name, size: 1_500, contentType: "text/plain")
        }
        return ShareRecord(
            id: "AAAAAAAAAAAAAAAAAAAAAA", files: files, createdAt: 1, expiresAt: 2, maxDownloads: nil, revoked: false,
            password: password ? try PasswordHash(hashing: "pw", random: .system) : nil, encrypted: encrypted ? true : nil)
    }

    @Test func aHostileFilenameStaysText() throws {
        let card = LinkCard(try Self.record(["\"><script>alert(1)</script>.txt"]), url: "https://drop.example/s/AAAAAAAAAAAAAAAAAAAAAA")
        #expect(!card.tags.contains("<script>") && card.tags.contains("&quot;&gt;&lt;script&gt;"))
        #expect(card.description == "1.5 KB · Dropgate")
    }

    @Test func aCollectionSaysHowManyFilesAndHowMuch() throws {
        let card = LinkCard(try Self.record(["a.txt", "b.txt", "c.txt"]), url: "https://drop.example/s/AAAAAAAAAAAAAAAAAAAAAA")
        #expect(card.title == "a.txt and 2 more files" && card.description == "3 files, 4.5 KB · Dropgate")
        #expect(card.tags.contains("href=\"/oembed?format=json&amp;url=https%3A%2F%2Fdrop.example%2Fs%2FAAAAAAAAAAAAAAAAAAAAAA\""))
    }

    @Test(arguments: [(true, false), (false, true)])
    func aGuardedShareGivesAwayNothing(password: Bool, encrypted: Bool) throws {
        let card = LinkCard(try Self.record(["merger.pdf", "x"], password: password, encrypted: encrypted), url: "https://drop.example/s/x")
        #expect(card.title == "Shared files" && card.description == "Shared with Dropgate.")
        #expect(!card.tags.contains("merger") && !card.tags.contains("KB"))
    }
}
