import Crypto
import Foundation
import Gateway
import S3Client
import S3Peers
import Testing

/// The server-side upload check: a signed HEAD against what the client declared.
struct UploadCheckTests {
    static func sha256(_ bytes: [UInt8]) -> String { Data(SHA256.hash(data: bytes)).base64EncodedString() }

    @Test(arguments: S3Peer.available)
    func matchingUploadIsVerified(peer: S3Peer) throws {
        let client = try peer.client()
        let key = S3Peer.uniqueKey("ok.png")
        let body = Array("not really a png".utf8)
        try client.putObject(key: key, body: body, contentType: "image/png", checksumSHA256: peer == .embedded ? Self.sha256(body) : nil)
        let outcome = try UploadCheck.run(
            DeclaredUpload(key: key, size: Int64(body.count), contentType: "image/png", sha256: Self.sha256(body)), client: client)
        guard case .verified(let info) = outcome else {
            Issue.record("expected verified, got \(outcome)")
            return
        }
        #expect(info.size == Int64(body.count))
    }

    @Test(arguments: S3Peer.available)
    func everyMismatchIsNamed(peer: S3Peer) throws {
        let client = try peer.client()
        let key = S3Peer.uniqueKey("bad.txt")
        let body = Array("ten bytes!".utf8)
        try client.putObject(key: key, body: body, contentType: "text/plain")
        let wrongSize = try UploadCheck.run(DeclaredUpload(key: key, size: 11, contentType: "text/plain"), client: client)
        #expect(wrongSize == .rejected([.size(declared: 11, actual: 10)]))
        let wrongType = try UploadCheck.run(DeclaredUpload(key: key, size: 10, contentType: "image/png"), client: client)
        #expect(wrongType == .rejected([.contentType(declared: "image/png", actual: "text/plain")]))
        let other = Self.sha256(Array("something else".utf8))
        let wrongSum = try UploadCheck.run(DeclaredUpload(key: key, size: 10, contentType: "text/plain", sha256: other), client: client)
        #expect(wrongSum == .rejected([.checksum(declared: other, actual: Self.sha256(body))]))
        let required = try UploadCheck.run(
            DeclaredUpload(key: key, size: 10, contentType: "text/plain; charset=utf-8", sha256: Self.sha256(body)), client: client, policy: .required
        )
        #expect(required == .rejected([.checksumMissing]))
        let missing = try UploadCheck.run(DeclaredUpload(key: key + ".none", size: 10, contentType: "text/plain"), client: client)
        #expect(missing == .rejected([.missing]))
    }

    @Test func storedChecksumIsComparedWithoutReadingBack() throws {
        let client = try S3Peer.embedded.client()
        let key = S3Peer.uniqueKey("summed.bin")
        let body = [UInt8](repeating: 3, count: 100)
        try client.putObject(key: key, body: body, checksumSHA256: Self.sha256(body))
        #expect(try client.headObject(key: key)?.checksums["SHA256"] == Self.sha256(body))
        let outcome = try UploadCheck.run(
            DeclaredUpload(key: key, size: 100, contentType: "application/octet-stream", sha256: Self.sha256(body)), client: client, policy: .required
        )
        #expect(outcome != .rejected([.checksumMissing]))
    }
}
