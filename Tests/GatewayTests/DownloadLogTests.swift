import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import Testing

@testable import Gateway

/// The download log (issue 31), in-process with the clock moved by hand: marks are the same for an address within a
/// day and differ across days, the day's key is deleted once the day is over, entries go after `shares.logRetention`,
/// and the embedded store's ranges complete an entry only when they cover the file.
struct DownloadLogTests {
    @Test func marksLinkAnAddressWithinADayOnlyAndTheKeyGoesAfterIt() throws {
        let harness = try LifecycleTests.harness { $0.shares.logRetention = 3 * 86_400 }
        let log = harness.gateway.sharing.downloadLog
        let today = harness.clock.now
        let first = try log.mark("203.0.113.9", at: today)
        #expect(try log.mark("203.0.113.9", at: today) == first)
        #expect(try log.mark("203.0.113.10", at: today) != first)
        #expect(!first.contains("203"))
        harness.clock.advance(86_400)
        #expect(try log.mark("203.0.113.9", at: harness.clock.now) != first)
        #expect(try LifecycleTests.keys(harness, DownloadLog.keysPrefix).count == 2)
        harness.clock.advance(2 * 86_400 + 1)
        _ = try LifecycleTests.sweep(harness)
        // Both days' keys were written more than two days ago (by the store's clock): gone; no mark can be undone.
        #expect(try LifecycleTests.keys(harness, DownloadLog.keysPrefix).isEmpty)
    }

    @Test func rangesCompleteAnEntryOnlyWhenTheyCoverTheFile() throws {
        let harness = try GatewayHarness()
        let receipts = DownloadReceipts(client: harness.client)
        let share = Base64URL.encode([UInt8](repeating: 1, count: 16))
        let receipt = DownloadReceipts.receipt(share: share, entry: "0001-abc")
        let done = DownloadLog.completionKey(share, entry: "0001-abc")
        receipts.served(receipt: receipt, offset: 0, count: 400, size: 1_000, complete: true)
        receipts.served(receipt: receipt, offset: 500, count: 500, size: 1_000, complete: true)
        receipts.served(receipt: receipt, offset: 400, count: 100, size: 1_000, complete: false)  // cut short: counts for nothing
        #expect(try harness.client.headObject(key: done) == nil)
        receipts.served(receipt: receipt, offset: 350, count: 200, size: 1_000, complete: true)
        #expect(try harness.client.headObject(key: done) != nil)
        // A receipt that is not one of ours writes nothing.
        receipts.served(receipt: "../../etc.passwd", offset: 0, count: 1, size: 1, complete: true)
        receipts.served(receipt: "nodot", offset: 0, count: 1, size: 1, complete: true)
        #expect(try LifecycleTests.keys(harness, DownloadLog.root).count == 1)
    }

    @Test(arguments: [
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0", "Edge"),
        ("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15", "Safari"),
        ("curl/8.5.0", "curl"), ("Twitterbot/1.0", "bot"), ("WhatsApp/2.23 link preview", "bot"), ("", "none"), ("Lynx/2.9", "other"),
    ])
    func agentsAreKeptAsACoarseFamily(agent: String, family: String) {
        #expect(DownloadLog.family(agent) == family)
    }

    @Test func csvCellsAreNeverFormulas() {
        #expect(ShareLogService.csvCell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(
            ShareLogService.csvCell("@sum") == "'@sum" && ShareLogService.csvCell("a,b") == "\"a,b\"" && ShareLogService.csvCell("plain") == "plain")
    }
}
