import Crypto
import DropgateAPI
import EndToEnd
import Foundation
import HTTPServer
import Testing

@testable import Gateway

/// What the gateway checks of end-to-end encrypted uploads and shares (issue 17), in-process: the exact sealed size,
/// the sealed header, no mixing with plain files, and the key wrap's shape; it never sees a key.
struct EncryptedShareTests {
    static let key = SymmetricKey(size: .bits256)

    /// Declares, PUTs and verifies sealed bytes (or any bytes claimed sealed) for a collection.
    static func sealedReceipt(_ harness: GatewayHarness, _ bytes: [UInt8], plaintextSize: Int64, name: String = "encrypted-2") throws
        -> GatewayHarness.Answer
    {
        let declaration = UploadRequest(
            filename: name, size: Int64(bytes.count), contentType: "application/octet-stream",
            encryption: EncryptionDeclaration(plaintextSize: plaintextSize, recordSize: SealedFormat.defaultRecordSize))
        let plan = try harness.declare(declaration).decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), bytes, headers: plan.headers ?? [:]).status == 200)
        return try harness.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(collection: true))
    }

    static func sealed(_ plaintext: [UInt8]) throws -> [UInt8] { try SealedFile(key: key, header: .random()).seal(plaintext) }

    @Test(arguments: [(Int64(100), Int64(131)), (100, 133), (-1, 32), (0, 31)])
    func aDeclaredSizeMustBeTheExactSealedSize(plaintext: Int64, size: Int64) throws {
        let harness = try GatewayHarness()
        let answer = try harness.declare(
            UploadRequest(filename: "e", size: size, encryption: EncryptionDeclaration(plaintextSize: plaintext, recordSize: 65_536)))
        #expect(answer.status == 400 && answer.errorCode == .invalidEncryption)
    }

    @Test func anEncryptedUploadIsCheckedForItsHeaderNotItsType() throws {
        let harness = try GatewayHarness()
        let good = try Self.sealedReceipt(harness, try Self.sealed(Array("<html><script>x</script>".utf8)), plaintextSize: 24)
        #expect(good.status == 200)  // HTML inside: the gateway cannot and does not look
        let fake = [UInt8](repeating: 0x41, count: 16 + 24 + 16)
        let refused = try Self.sealedReceipt(harness, fake, plaintextSize: 24)
        #expect(refused.status == 422 && refused.text.contains("not_sealed"))
    }

    @Test func anEncryptedShareHoldsOnlySealedFilesAndItsManifestFirst() throws {
        let harness = try GatewayHarness()
        let manifest = try Self.sealedReceipt(harness, try Self.sealed(Array(#"{"v":1,"files":[]}"#.utf8)), plaintextSize: 18, name: "encrypted-1")
            .decode(VerifiedUpload.self).receipt
        let file = try Self.sealedReceipt(harness, try Self.sealed(Array("secret".utf8)), plaintextSize: 6).decode(VerifiedUpload.self).receipt
        let plain = try harness.receipt("plain.txt", Array("plain".utf8))
        let mixed = try harness.call("POST", "/api/shares", json: ShareRequest(files: [manifest, plain], encrypted: true))
        #expect(mixed.errorCode == .encryptionMismatch)
        #expect(try harness.call("POST", "/api/shares", json: ShareRequest(files: [manifest, file])).errorCode == .encryptionMismatch)
        #expect(try harness.call("POST", "/api/shares", json: ShareRequest(files: [file], encrypted: true)).errorCode == .noManifest)
        let wrap = WrappedKey(
            salt: "AAAAAAAAAAAAAAAAAAAAAA", iterations: 600_000, nonce: "AAAAAAAAAAAAAAAA", wrapped: String(repeating: "A", count: 64))
        #expect(
            try harness.call("POST", "/api/shares", json: ShareRequest(files: [manifest, file], encrypted: true, keyWrap: wrap)).errorCode
                == .invalidKeyWrap)  // a wrap without a password
        let created = try harness.call(
            "POST", "/api/shares", json: ShareRequest(files: [manifest, file], password: "access-secret", encrypted: true, keyWrap: wrap))
        #expect(created.status == 201)
        let id = try created.decode(Completion.self).share.id
        // Served only as attachments of octet-stream, and the page carries no name, type or size.
        let raw = try harness.call("GET", "/s/\(id)/2/raw", headers: [.init("Cookie", try Self.unlockCookie(harness, id))])
        let location = try #require(raw.headers["location"])
        #expect(location.contains("attachment") && location.contains("application%2Foctet-stream"))
        let locked = try harness.call("GET", "/s/\(id)")
        #expect(locked.text.contains("data-e2e-salt=\"AAAAAAAAAAAAAAAAAAAAAA\"") && !locked.text.contains("data-wrap-wrapped"))
        // Its password form posts nowhere and its field has no name: without the script, no password leaves the page.
        #expect(!locked.text.contains("method=\"post\"") && !locked.text.contains("name=\"password\"") && locked.text.contains("<noscript>"))
        let page = try harness.call("GET", "/s/\(id)", headers: [.init("Cookie", try Self.unlockCookie(harness, id))])
        #expect(page.text.contains("Encrypted share") && page.text.contains("data-wrap-wrapped"))
    }

    @Test func theManifestNeverCountsAgainstTheLimit() throws {
        let harness = try GatewayHarness()
        let manifest = try Self.sealedReceipt(harness, try Self.sealed(Array("{}".utf8)), plaintextSize: 2, name: "encrypted-1")
            .decode(VerifiedUpload.self).receipt
        let file = try Self.sealedReceipt(harness, try Self.sealed(Array("once".utf8)), plaintextSize: 4).decode(VerifiedUpload.self).receipt
        let id = try harness.call("POST", "/api/shares", json: ShareRequest(files: [manifest, file], maxDownloads: 1, encrypted: true))
            .decode(Completion.self).share.id
        for _ in 0..<3 { #expect(try harness.call("GET", "/s/\(id)/1/raw").status == 200) }
        #expect(try harness.call("GET", "/s/\(id)/2/raw").status == 200)
        #expect(try harness.call("GET", "/s/\(id)/2/raw").status == 410)
        #expect(try harness.call("GET", "/s/\(id)").status == 410)
    }

    static func unlockCookie(_ harness: GatewayHarness, _ id: String) throws -> String {
        let answer = try harness.unlock(id, "access-secret")
        let header = try #require(answer.headers["set-cookie"])
        return String(header.prefix { $0 != ";" })
    }
}
