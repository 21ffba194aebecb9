import DropgateAPI
import EndToEnd
import Foundation
import HTTPWire
import Testing

@testable import Gateway

/// The upload id: `base64url(json).base64url(HMAC(purpose:payload))`, which every gateway reads back.
struct UploadTokenTests {
    static let tokens: [UploadToken] = [
        UploadToken(
            key: "uploads/2026/12/AAAAAAAAAAAAAAAAAAAAAA/panda.jpeg", filename: "panda.jpeg", size: 12_345, contentType: "image/jpeg", sha256: nil,
            shareExpiresIn: 604_800, maxDownloads: nil, uploadID: nil, expiresAt: 1_796_204_400),
        UploadToken(
            key: "uploads/2026/12/AAAAAAAAAAAAAAAAAAAAAA/a \"b\".bin", filename: "a \"b\\\".bin\u{01}", size: 0,
            contentType: "application/octet-stream",
            sha256: "q80=", shareExpiresIn: 1, maxDownloads: 3, uploadID: "upload/1", partSize: 5 << 20, expiresAt: -1, owner: "fingerprint",
            sealedRecordSize: 65_536),
    ]

    @Test(arguments: tokens)
    func aTokenIsWrittenAsJSONEncoderWritesIt(token: UploadToken) throws {
        #expect(String(decoding: token.jsonBytes(), as: UTF8.self) == String(decoding: try APIJSON.encode(token), as: UTF8.self))
    }

    @Test func anIdReadsBackToItsToken() throws {
        let token = Self.tokens[0]
        #expect(UploadToken.decode(token.encoded(secret: "s3cret"), secret: "s3cret", now: Date(timeIntervalSince1970: 1_796_204_000)) == token)
    }

    /// The id is `base64url(json).base64url(HMAC(purpose:payload))`, as ``SignedToken/open(_:_:purpose:secret:)`` checks
    /// it, for every length of JSON modulo 3.
    @Test(arguments: tokens)
    func anIdIsThePayloadAndTheMACOfItsCharacters(token: UploadToken) throws {
        for padding in 0..<3 {
            var padded = token
            padded.filename += String(repeating: "x", count: padding)
            let id = padded.encoded(secret: "s3cret")
            let payload = Base64URL.encode(padded.jsonBytes())
            #expect(id == payload + "." + Base64URL.encode(SignedToken.mac(payload, purpose: "upload", secret: "s3cret")))
            #expect(SignedToken.open(UploadToken.self, id, purpose: "upload", secret: "s3cret") == padded)
            #expect(SignedToken.open(UploadToken.self, id, purpose: "upload", secret: "other") == nil)
            #expect(SignedToken.open(UploadToken.self, id, purpose: "share", secret: "s3cret") == nil)
        }
    }
}
