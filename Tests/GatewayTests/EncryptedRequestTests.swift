import Crypto
import DropgateAPI
import EndToEnd
import Foundation
import HTTPServer
import HTTPWire
import Testing

@testable import Gateway

/// File requests encrypted to their owner (issue 30), in-process: the gateway takes only sealed files and a key wrapped
/// to the owner's curve, keeps what it cannot open, and the owner alone gets the files back.
struct EncryptedRequestTests {
    static let owner = OwnerKey.generate()

    static func create(_ harness: GatewayHarness, _ encryption: RequestEncryption?, types: [String]? = nil) throws -> GatewayHarness.Answer {
        try harness.call("POST", "/api/requests", json: FileRequestCreate(title: "Tax papers", allowedTypes: types, encryption: encryption))
    }

    static func sealedUpload(_ harness: GatewayHarness, _ id: String, _ plaintext: [UInt8], key: SymmetricKey, number: Int) throws -> String {
        let sealed = try SealedFile(key: key, header: .random()).seal(plaintext)
        let declaration = UploadRequest(
            filename: "encrypted-\(number)", size: Int64(sealed.count), contentType: "application/octet-stream",
            encryption: EncryptionDeclaration(plaintextSize: Int64(plaintext.count), recordSize: SealedFormat.defaultRecordSize))
        let plan = try harness.call("POST", "/api/requests/\(id)/uploads", json: declaration).decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), sealed, headers: plan.headers ?? [:]).status == 200)
        let done = try harness.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(collection: true))
        return try done.decode(VerifiedUpload.self).receipt
    }

    @Test func aRequestsKeyMustBeAKeyAndTypesCannotBeHeld() throws {
        let harness = try GatewayHarness()
        let notAPoint = OwnerPublicKey(alg: "P-256", key: Base64URL.encode([0x04] + [UInt8](repeating: 7, count: 64)))
        for bad in [notAPoint, OwnerPublicKey(alg: "RSA", key: "AAAA"), OwnerPublicKey(alg: "X25519", key: "short")] {
            let refused = try Self.create(harness, RequestEncryption(publicKey: bad))
            #expect(refused.status == 400 && refused.errorCode == .invalidEncryption, "\(bad)")
        }
        let typed = try Self.create(harness, RequestEncryption(publicKey: Self.owner.publicKey), types: ["application/pdf"])
        #expect(typed.status == 400 && typed.text.contains("cannot limit types"))
        let sealedKey = WrappedKey(salt: "AAAA", iterations: 10, nonce: "AAAA", wrapped: "AAAA")
        let badSeal = try Self.create(harness, RequestEncryption(publicKey: Self.owner.publicKey, sealedPrivateKey: sealedKey))
        #expect(badSeal.status == 400 && badSeal.errorCode == .invalidEncryption)
    }

    @Test func onlySealedFilesAndAWrappedKeyAreTakenAndTheOwnerOpensThem() throws {
        let harness = try LifecycleTests.harness()
        let made = try Self.create(harness, RequestEncryption(publicKey: Self.owner.publicKey)).decode(FileRequestCreated.self)
        let id = made.request.id
        #expect(made.request.publicKey == Self.owner.publicKey)
        let plain = try FileRequestTests.declare(harness, id)
        #expect(plain.status == 400 && plain.text.contains("encrypted to its owner"))
        let key = SymmetricKey(size: .bits256)
        let receipt = try Self.sealedUpload(harness, id, Array("the tax return".utf8), key: key, number: 2)
        let manifest = Base64URL.encode(
            try SealedFile(key: key, header: .random()).seal(Array(#"{"v":1,"files":[{"name":"t.txt","type":"text/plain","size":14}]}"#.utf8)))
        let wrap = try OwnerKeyWrap.wrap(key, to: Self.owner.publicKey)
        // Without the wrap, with a wrap of the other curve, or without a manifest: refused in plain words.
        let p256 = try OwnerKeyWrap.wrap(key, to: OwnerKey.generate(.p256).publicKey)
        for body in [
            FileSubmissionRequest(files: [receipt], manifest: manifest), FileSubmissionRequest(files: [receipt], keyWrap: p256, manifest: manifest),
            FileSubmissionRequest(files: [receipt], keyWrap: wrap),
            FileSubmissionRequest(files: [receipt], keyWrap: wrap, manifest: "bm90IHNlYWxlZA"),
        ] {
            let refused = try harness.call("POST", "/api/requests/\(id)/submissions", json: body)
            #expect(refused.status == 400 && refused.errorCode == .invalidEncryption, "\(refused.text)")
        }
        let handed = try harness.call(
            "POST", "/api/requests/\(id)/submissions", json: FileSubmissionRequest(files: [receipt], keyWrap: wrap, manifest: manifest))
        #expect(handed.status == 201)
        #expect(try handed.decode(FileSubmission.self).keyWrap == nil)  // the sender's receipt carries nothing of the key
        // The owner: the wrap opens with their key and the file with the share key; with another key, plain words.
        let ownerHeaders: HTTPHeaders = [.init("Authorization", "Bearer \(try #require(made.ownerToken))")]
        let detail = try harness.call("GET", "/api/requests/\(id)/submissions", headers: ownerHeaders).decode(FileRequestDetail.self)
        let submission = try #require(detail.submissions.first)
        let keyWrap = try #require(submission.keyWrap)
        let opened = try OwnerKeyWrap.unwrap(keyWrap, with: Self.owner)
        #expect(throws: OwnerKeyError.wrongKey) { try OwnerKeyWrap.unwrap(keyWrap, with: OwnerKey.generate()) }
        let route = try #require(submission.files.first?.url)
        let link = try harness.call("GET", route, headers: ownerHeaders)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(link.body)) as? [String: String])
        let stored = try harness.get(try #require(answer["url"])).body
        #expect(try SealedFile.open(stored, key: opened) == Array("the tax return".utf8))
        #expect(!String(decoding: stored, as: UTF8.self).contains("tax return"))
        let manifestText = try #require(submission.manifest)
        let names = try SealedFile.open(try #require(Base64URL.decode(manifestText)), key: opened)
        #expect(String(decoding: names, as: UTF8.self).contains("t.txt"))
    }

    @Test func aPlainRequestTakesNoSealedFile() throws {
        let harness = try GatewayHarness()
        let id = try Self.create(harness, nil).decode(FileRequestCreated.self).request.id
        let declaration = UploadRequest(
            filename: "encrypted-2", size: 47, contentType: "application/octet-stream",
            encryption: EncryptionDeclaration(plaintextSize: 15, recordSize: SealedFormat.defaultRecordSize))
        let refused = try harness.call("POST", "/api/requests/\(id)/uploads", json: declaration)
        #expect(refused.status == 400 && refused.text.contains("not encrypted"))
    }
}
