import Crypto
import CurlHTTP
import DropgateAPI
import DropgateClient
import EndToEnd
import Foundation
import Testing

@testable import Gateway

/// The client library (`DropgateClient`) against the gateway and the store in this process: what `dropgate upload`
/// and `dropgate download` do, without the command line.
struct DropgateClientTests {
    /// A folder of its own, a journal in it, and a client on the harness's network.
    struct Setup {
        let harness: GatewayHarness
        let folder: String
        let client: WebClient
        let journal: UploadJournal
        let uploader: GatewayUploader

        init(_ configure: (inout GatewaySettings) -> Void = { _ in }) throws {
            harness = try GatewayHarness.onNetwork(configure)
            folder = NSTemporaryDirectory() + "client-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            client = WebClient(transport: HarnessNetwork(harness))
            journal = UploadJournal(environment: ["DROPGATE_UPLOADS_FILE": folder + "/uploads.json"])
            uploader = GatewayUploader(
                base: HarnessNetwork.gatewayBase, token: nil, client: client, parallel: 2, progress: ProgressBar(enabled: false),
                hashLimit: 64 << 20, journal: journal, now: { [clock = harness.clock] in clock.now })
        }

        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = folder + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        func fetcher(_ done: Completion) -> ShareFetcher { ShareFetcher(base: HarnessNetwork.gatewayBase, id: done.share.id, client: client) }

        func read(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
    }

    static func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }

    @Test func aFileGoesUpAndComesBackByteForByte() throws {
        let setup = try Setup()
        let bytes = Self.random(10_000)
        let verified = try setup.uploader.verify(.plain(try setup.file("notes.bin", bytes), contentType: "application/octet-stream"), expiresIn: nil)
        #expect(verified.filename == "notes.bin" && verified.size == 10_000)
        let done = try setup.uploader.share([verified.receipt], terms: ShareRequest())
        let fetcher = setup.fetcher(done)
        let facts = try fetcher.facts(cookie: nil)
        #expect(facts.files?.map(\.filename) == ["notes.bin"])
        try fetcher.download(1, to: setup.folder + "/copy.bin", key: nil, expectedSize: 10_000, cookie: nil)
        #expect(try setup.read(setup.folder + "/copy.bin") == bytes)
    }

    @Test func aLargeFileGoesInPartsAndLeavesNothingInTheJournal() throws {
        let setup = try Setup()
        let bytes = Self.random(11 << 20)  // three parts of 5 MiB at most
        let path = try setup.file("big.bin", bytes)
        let verified = try setup.uploader.verify(.plain(path, contentType: "application/octet-stream"), expiresIn: nil)
        #expect(verified.size == Int64(bytes.count))
        #expect(setup.journal.sealing(for: path, gateway: HarnessNetwork.gatewayBase) == nil)
        let journalFile = setup.folder + "/uploads.json"
        let kept = FileManager.default.fileExists(atPath: journalFile) ? String(decoding: try setup.read(journalFile), as: UTF8.self) : "{}"
        #expect(kept == "{}")  // the finished upload is forgotten
        let done = try setup.uploader.share([verified.receipt], terms: ShareRequest())
        try setup.fetcher(done).download(1, to: setup.folder + "/copy.bin", key: nil, expectedSize: Int64(bytes.count), cookie: nil)
        #expect(try setup.read(setup.folder + "/copy.bin") == bytes)
    }

    /// The store's network, with part 2's PUTs refused while `refusing` is set; counts the part PUTs it lets through.
    final class FlakyParts: HTTPTransport, @unchecked Sendable {
        let inner: HarnessNetwork
        let lock = NSLock()
        var refusing = true
        var sentParts: [Int] = []

        init(_ inner: HarnessNetwork) { self.inner = inner }

        func perform(_ call: HTTPCall, progress: ((Int64, Int64) -> Void)?) throws -> HTTPCallResponse {
            let part =
                call.method == "PUT" ? URLComponents(string: call.url)?.queryItems?.first { $0.name == "partNumber" }?.value.flatMap(Int.init) : nil
            if let part {
                let refused = lock.withLock {
                    if refusing && part == 2 { return true }
                    sentParts.append(part)
                    return false
                }
                if refused { return HTTPCallResponse(status: 503, headers: [], body: []) }
            }
            return try inner.perform(call, progress: progress)
        }
    }

    @Test func anInterruptedLargeUploadContinuesWithOnlyTheMissingParts() throws {
        let setup = try Setup()
        let network = FlakyParts(HarnessNetwork(setup.harness))
        let uploader = GatewayUploader(
            base: HarnessNetwork.gatewayBase, token: nil, client: WebClient(transport: network), parallel: 1, progress: ProgressBar(enabled: false),
            hashLimit: 64 << 20, journal: setup.journal, now: { [clock = setup.harness.clock] in clock.now })
        let bytes = Self.random(11 << 20)
        let path = try setup.file("big.bin", bytes)
        #expect(throws: ClientError.self) { try uploader.verify(.plain(path, contentType: "application/octet-stream"), expiresIn: nil) }
        #expect(network.lock.withLock { network.sentParts } == [1])  // one at a time: part 1 went, part 2 failed, 3 never started
        network.refusing = false
        let verified = try uploader.verify(.plain(path, contentType: "application/octet-stream"), expiresIn: nil)
        #expect(network.lock.withLock { network.sentParts } == [1, 2, 3])  // part 1 was not sent again
        let done = try uploader.share([verified.receipt], terms: ShareRequest())
        try setup.fetcher(done).download(1, to: setup.folder + "/copy.bin", key: nil, expectedSize: Int64(bytes.count), cookie: nil)
        #expect(try setup.read(setup.folder + "/copy.bin") == bytes)
    }

    @Test func anEncryptedFileIsSealedSentAndOpenedOnlyWithItsKey() throws {
        let setup = try Setup()
        let plaintext = Self.random(200_000)
        let key = ShareKey.random()
        let item = try UploadItem.sealed(try setup.file("secret.bin", plaintext), number: 2, key: key, prefix: SealedHeader.random().prefix)
        defer { item.removeTemporary() }
        let file = try setup.uploader.verify(item, expiresIn: nil)
        let manifest = try UploadItem.manifest(
            Manifest(files: [.init(name: "secret.bin", type: "application/octet-stream", size: 200_000)]), key: key)
        defer { manifest.removeTemporary() }
        let list = try setup.uploader.verify(manifest, expiresIn: nil)
        var terms = ShareRequest()
        terms.encrypted = true
        let done = try setup.uploader.share([list.receipt, file.receipt], terms: terms)
        let fetcher = setup.fetcher(done)
        #expect(Manifest.parse(try fetcher.manifest(key: key, cookie: nil))?.files.map(\.name) == ["secret.bin"])
        try fetcher.download(2, to: setup.folder + "/opened.bin", key: key, expectedSize: 200_000, cookie: nil)
        #expect(try setup.read(setup.folder + "/opened.bin") == plaintext)
        #expect(throws: (any Error).self) {
            try fetcher.download(2, to: setup.folder + "/wrong.bin", key: ShareKey.random(), expectedSize: 200_000, cookie: nil)
        }
        #expect(!FileManager.default.fileExists(atPath: setup.folder + "/wrong.bin"))  // nothing half-written is left
    }

    @Test func aPasswordShareOpensOnlyWithItsPassword() throws {
        let setup = try Setup()
        let verified = try setup.uploader.verify(.plain(try setup.file("a.txt", Array("hello".utf8)), contentType: "text/plain"), expiresIn: nil)
        let done = try setup.uploader.share([verified.receipt], terms: ShareRequest(password: "correct horse"))
        let fetcher = setup.fetcher(done)
        #expect(try fetcher.unlockInfo().passwordRequired)
        #expect(throws: ClientError.self) { try fetcher.unlock("wrong") }
        let cookie = try fetcher.unlock("correct horse")
        try fetcher.download(1, to: setup.folder + "/a-copy.txt", key: nil, expectedSize: 5, cookie: cookie)
        #expect(try setup.read(setup.folder + "/a-copy.txt") == Array("hello".utf8))
    }

    @Test func aRefusalComesInTheGatewaysWords() throws {
        let setup = try Setup { $0.uploads.maxBytes = 10 }
        let error = #expect(throws: GatewayRefusal.self) {
            try setup.uploader.verify(.plain(try setup.file("big.txt", Array(repeating: 0x61, count: 11)), contentType: "text/plain"), expiresIn: nil)
        }
        #expect(error?.code == APIErrorCode.uploadTooLarge.rawValue && error?.status == 413)
    }
}
