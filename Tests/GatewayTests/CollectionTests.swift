import DropgateAPI
import Foundation
import HTTPServer
import Testing

@testable import Gateway

/// Collections and share passwords (issue 16), in-process over the embedded store with the clock moved by hand.
struct CollectionTests {
    static let files: [(String, [UInt8])] = [("a.txt", Array("first".utf8)), ("b.txt", Array("second".utf8)), ("c.txt", Array("third".utf8))]

    @Test func aCollectionServesEveryFileAtItsOwnLink() throws {
        let harness = try GatewayHarness()
        let receipts = try Self.files.map { try harness.receipt($0.0, $0.1) }
        let created = try harness.collect(receipts)
        #expect(created.status == 201)
        let done = try created.decode(Completion.self)
        #expect(done.files?.map(\.filename) == ["a.txt", "b.txt", "c.txt"])
        #expect(done.files?.map(\.url) == (1...3).map { "\(done.share.url)/\($0)" })
        for (index, file) in Self.files.enumerated() {
            let raw = try harness.call("GET", "/s/\(done.share.id)/\(index + 1)/raw")
            #expect(raw.status == 302)
            #expect(try harness.get(raw.headers["location"] ?? "").body == file.1)
        }
        let page = try harness.call("GET", "/s/\(done.share.id)")
        #expect(page.text.contains("3 files") && page.text.contains("/s/\(done.share.id)/2/raw?download=1"))
    }

    @Test(arguments: ["0", "4", "01", "-1", "x", "99999"])
    func aFileNumberOutsideTheShareIsNotFound(number: String) throws {
        let harness = try GatewayHarness()
        let done = try harness.collect(try Self.files.map { try harness.receipt($0.0, $0.1) }).decode(Completion.self)
        #expect(try harness.call("GET", "/s/\(done.share.id)/\(number)").status == 404)
        #expect(try harness.call("GET", "/s/\(done.share.id)/\(number)/raw").status == 404)
    }

    @Test func aReceiptExpiresWithItsUploadID() throws {
        let harness = try GatewayHarness { $0.uploads.presignExpiry = 300 }
        let receipt = try harness.receipt("late.txt", Array("late".utf8))
        harness.clock.advance(301)
        let answer = try harness.collect([receipt])
        #expect(answer.status == 400 && answer.errorCode == .invalidReceipt)
    }

    @Test func oneFileIsInOneShareOnly() throws {
        let harness = try GatewayHarness()
        let receipts = try Self.files.map { try harness.receipt($0.0, $0.1) }
        #expect(try harness.collect(receipts).status == 201)
        #expect(try harness.collect(receipts).status == 200)  // the same files: the same share
        let again = try harness.collect(Array(receipts.prefix(2)))
        #expect(again.status == 409 && again.errorCode == .alreadyShared)
    }

    @Test func aCollectionWithAPasswordOpensOnlyWithACookieForIt() throws {
        let harness = try GatewayHarness()
        let done = try harness.collect([try harness.receipt("plans.txt", Array("the plans".utf8))], password: "p w").decode(Completion.self)
        let id = done.share.id
        let locked = try harness.call("GET", "/s/\(id)")
        #expect(locked.text.contains("type=\"password\"") && !locked.text.contains("plans.txt"))
        #expect(try harness.call("GET", "/s/\(id)/raw").status == 403)
        #expect(try harness.unlock(id, "wrong").status == 403)
        let opened = try harness.unlock(id, "p+w")  // form encoding: + is a space
        #expect(opened.status == 303)
        let setCookie = try #require(opened.headers["set-cookie"])
        let cookie = String(setCookie.prefix { $0 != ";" })
        let page = try harness.call("GET", "/s/\(id)", headers: [.init("Cookie", "other=1; \(cookie)")])
        #expect(page.text.contains("plans.txt"))
        #expect(try harness.call("GET", "/s/\(id)/raw", headers: [.init("Cookie", cookie)]).status == 302)
        harness.clock.advance(3_601)  // the cookie lives an hour
        #expect(try harness.call("GET", "/s/\(id)/raw", headers: [.init("Cookie", cookie)]).status == 403)
    }

    @Test func passwordGuessesAreBoundedPerClientAndPerShare() throws {
        let harness = try GatewayHarness()
        let done = try harness.collect([try harness.receipt("a.txt", Array("a".utf8))], password: "right").decode(Completion.self)
        let id = done.share.id
        for _ in 0..<10 { #expect(try harness.unlock(id, "guess").status == 403) }
        let limited = try harness.unlock(id, "right")
        #expect(limited.status == 429 && limited.headers["retry-after"] != nil)
        // Other addresses still have their own ten, until the share's 30 are spent.
        for client in 1...20 { #expect(try harness.unlock(id, "guess", from: "127.0.0.\(client + 1):40000").status == 403) }
        #expect(try harness.unlock(id, "right", from: "127.0.0.99:40000").status == 429)
        harness.clock.advance(60)
        #expect(try harness.unlock(id, "right").status == 303)
    }

    @Test func aDownloadLimitCountsForEachFile() throws {
        let harness = try GatewayHarness()
        let receipts = try Self.files.prefix(2).map { try harness.receipt($0.0, $0.1) }
        let done = try harness.collect(receipts, maxDownloads: 1).decode(Completion.self)
        #expect(try harness.call("GET", "/s/\(done.share.id)/1/raw").status == 200)
        #expect(try harness.call("GET", "/s/\(done.share.id)/1/raw").status == 410)
        #expect(try harness.call("GET", "/s/\(done.share.id)").status == 200)
        #expect(try harness.call("GET", "/s/\(done.share.id)/2/raw").status == 200)
        #expect(try harness.call("GET", "/s/\(done.share.id)").status == 410)
    }

    @Test func aDeadCollectionLosesEveryFileToTheSweep() throws {
        let harness = try LifecycleTests.harness()
        let done = try harness.collect(try Self.files.map { try harness.receipt($0.0, $0.1) }, expiresIn: 3_600).decode(Completion.self)
        harness.clock.advance(1_000)
        #expect(try LifecycleTests.sweep(harness).orphans == 0)  // a live collection's files are no orphans
        #expect(try LifecycleTests.keys(harness, "shared/").count == 3)
        harness.clock.advance(2_700)
        let report = try LifecycleTests.sweep(harness)
        #expect(report.shareObjects == 1 && report.orphans == 0)
        #expect(try LifecycleTests.keys(harness, "shared/").isEmpty)
        #expect(try harness.call("GET", "/s/\(done.share.id)").status == 410)
    }

    @Test func revokingACollectionDeletesEveryFile() throws {
        let harness = try GatewayHarness()
        let done = try harness.collect(try Self.files.map { try harness.receipt($0.0, $0.1) }).decode(Completion.self)
        let revoked = try harness.call("DELETE", "/api/shares/\(done.share.id)", headers: [.init("Authorization", "Bearer \(done.deleteToken)")])
        #expect(revoked.status == 204)
        #expect(try harness.client.listObjects(prefix: "shared/").objects.isEmpty)
        #expect(try harness.call("GET", "/s/\(done.share.id)/2").status == 410)
    }

    @Test func anUploadTokensReceiptServesThatTokenOnly() throws {
        let harness = try GatewayHarness {
            $0.auth.uploadTokens = ["token-one", "token-two"]
            $0.auth.quota.maxShares = 10
        }
        let one: HTTPHeaders = [.init("Authorization", "Bearer token-one")]
        let two: HTTPHeaders = [.init("Authorization", "Bearer token-two")]
        let receipt = try harness.receipt("mine.txt", Array("mine".utf8), headers: one)
        #expect(try harness.collect([receipt], headers: two).errorCode == .notYourUpload)
        #expect(try harness.collect([receipt], headers: []).status == 401)
        #expect(try harness.collect([receipt], headers: one).status == 201)
    }
}
