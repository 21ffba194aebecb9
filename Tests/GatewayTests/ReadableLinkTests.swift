import DropgateAPI
import Foundation
import Testing

@testable import Gateway

/// Readable links and burn after reading (issue 32), in-process over the embedded store with the clock moved by hand:
/// a name lives exactly as long as its share, and a share read once has a page that fetches nothing by itself.
struct ReadableLinkTests {
    @Test func aCustomLinkIsFreedWhenTheSweeperPurgesItsShare() throws {
        let harness = try LifecycleTests.harness()
        let first = try harness.call(
            "POST", "/api/shares", json: ShareRequest(files: [try harness.receipt("a.txt", Array("a".utf8))], expiresIn: 60, link: "weekly-notes"))
        #expect(first.status == 201)
        let taken = try harness.call(
            "POST", "/api/shares", json: ShareRequest(files: [try harness.receipt("b.txt", Array("b".utf8))], link: "weekly-notes"))
        #expect(taken.status == 409 && taken.text.contains("link_taken"))
        harness.clock.advance(60 + 101)
        _ = try LifecycleTests.sweep(harness)
        #expect(try harness.call("GET", "/s/weekly-notes").status == 410)  // dead, its name still says so
        harness.clock.advance(1_001)
        #expect(try LifecycleTests.sweep(harness).tombstones == 1)
        #expect(try harness.call("GET", "/s/weekly-notes").status == 404)
        #expect(try LifecycleTests.keys(harness, ShareLinkName.prefix).isEmpty)
        let again = try harness.call(
            "POST", "/api/shares", json: ShareRequest(files: [try harness.receipt("c.txt", Array("c".utf8))], link: "weekly-notes"))
        #expect(again.status == 201)
        #expect(try harness.call("GET", "/s/weekly-notes/raw").status == 302)
    }

    @Test func aShareThatWasNotMadeLeavesItsNameFree() throws {
        let harness = try LifecycleTests.harness()
        let receipt = try harness.receipt("once.txt", Array("once".utf8))
        #expect(try harness.collect([receipt]).status == 201)
        // The same file in a second share is refused (409 already_shared) after its name was claimed: the name goes.
        let refused = try harness.call(
            "POST", "/api/shares", json: ShareRequest(files: [receipt, try harness.receipt("two.txt", Array("two".utf8))], link: "second-try"))
        #expect(refused.status == 409 && refused.text.contains("already_shared"))
        #expect(try LifecycleTests.keys(harness, ShareLinkName.prefix).isEmpty)
    }

    @Test func namesAreCheckedByteByByte() throws {
        #expect(try ShareLinkName.custom("Quarterly-Report") == "quarterly-report")
        for bad in ["ab", String(repeating: "a", count: 65), "-ab", "ab-", "a--b", "a_b", "a.b", "zoë", "a%2fb", "admin", "RAW", "a\u{0}b"] {
            #expect(throws: GatewayError.self) { try ShareLinkName.custom(bad) }
        }
        #expect(!ReadableLink.isWellFormed("../etc") && !ReadableLink.isWellFormed(String(repeating: "a", count: 111)))
    }

    @Test func aWordLinkDrawsFromTheListWithTheStatedEntropy() {
        #expect(LinkWords.all.count == 2_048 && Set(LinkWords.all).count == 2_048)
        #expect(LinkWords.all.allSatisfy { (3...8).contains($0.utf8.count) && $0.utf8.allSatisfy { (0x61...0x7A).contains($0) } })
        #expect(ShareLinkName.bits(words: ShareLinkName.words) >= 128)  // a random id's 128 bits
        let names = (0..<200).map { _ in ShareLinkName.randomWords(ShareLinkName.words) }
        #expect(Set(names).count == 200)
        for name in names {
            #expect(ReadableLink.isWellFormed(name))
            #expect(name.split(separator: "-").count == 12 && name.split(separator: "-").allSatisfy { LinkWords.all.contains(String($0)) })
        }
    }

    @Test func aBurnAfterReadingPageFetchesNothingAndOneReadBurnsIt() throws {
        let harness = try LifecycleTests.harness()
        let made = try harness.call(
            "POST", "/api/shares",
            json: ShareRequest(files: [try harness.receipt("secret.md", Array("# Hi".utf8), type: "text/markdown")], burnAfterReading: true))
        #expect(made.status == 201, "\(made.text)")
        let id = try made.decode(Completion.self).share.id
        for _ in 0..<3 {
            let page = try harness.call("GET", "/s/\(id)", headers: [.init("User-Agent", "Slackbot-LinkExpanding 1.0")])
            #expect(page.status == 200 && page.text.contains("Show the text"))
            #expect(!page.text.contains("src=\"/s/\(id)/raw") && !page.text.contains("<iframe"))
        }
        #expect(try harness.call("GET", "/s/\(id)/raw").status == 200)  // bytes through the gateway, counted
        #expect(try harness.call("GET", "/s/\(id)/raw").status == 410)
        #expect(try harness.call("GET", "/s/\(id)").status == 410)
        let tooMany = try harness.call(
            "POST", "/api/shares", json: ShareRequest(files: [try harness.receipt("x.txt", Array("x".utf8))], maxDownloads: 3, burnAfterReading: true)
        )
        #expect(tooMany.status == 400 && tooMany.text.contains("burnAfterReading allows one download"))
    }

    @Test func aBurnAfterReadingShareKeepsItsOneDownloadThroughAnEdit() throws {
        let harness = try LifecycleTests.harness()
        let bearer = try CollectionEditTests.owner(harness)
        let receipt = try harness.receipt("once.txt", Array("once".utf8), headers: bearer)
        let made = try harness.call("POST", "/api/shares", json: ShareRequest(files: [receipt], burnAfterReading: true), headers: bearer)
        let id = try made.decode(Completion.self).share.id
        for change in [ShareEditRequest(maxDownloads: 5), ShareEditRequest(unlimited: true)] {
            let refused = try CollectionEditTests.edit(harness, id, change, bearer)
            #expect(refused.status == 400 && refused.text.contains("burns after reading"), "\(refused.text)")
        }
        #expect(try CollectionEditTests.edit(harness, id, ShareEditRequest(expiresIn: 3_600), bearer).status == 200)
    }
}
