import Crypto
import Foundation
import Testing

@testable import SigV4

/// Browser forms signed with Signature Version 2, and SigV2 request dates.
struct PostFormSignatureVersion2Tests {
    typealias V2 = SignatureVersion2Tests

    static func form(key: String = "uploads/a.txt", secret: String = V2.credentials.secretAccessKey, expiration: String = "2007-03-27T20:00:00Z")
        -> [(name: String, value: String)]
    {
        let policy = Data(
            #"{"expiration":"\#(expiration)","conditions":[{"bucket":"b"},["starts-with","$key","uploads/"],["content-length-range",1,10]]}"#.utf8
        ).base64EncodedString()
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(policy.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return [("Key", key), ("AWSAccessKeyId", V2.credentials.accessKeyID), ("Policy", policy), ("Signature", Data(mac).base64EncodedString())]
    }

    @Test func aSignedFormVerifiesWithItsPolicy() throws {
        let verified = try V2.verifier().verifyPostForm(Self.form(), bucket: "b", allowsSignatureVersion2: true)
        #expect(verified.key == "uploads/a.txt" && verified.accessKeyID == V2.credentials.accessKeyID)
        #expect(verified.contentLengthRange == 1...10)
    }

    @Test func eachRefusalHasItsReason() {
        func reason(_ fields: [(name: String, value: String)], bucket: String = "b", allowed: Bool = true) -> SigV4Error.Reason? {
            (#expect(throws: SigV4Error.self) { try V2.verifier().verifyPostForm(fields, bucket: bucket, allowsSignatureVersion2: allowed) })?.reason
        }
        #expect(reason(Self.form(secret: "wrong")) == .signatureMismatch)
        #expect(reason(Self.form().map { $0.name == "AWSAccessKeyId" ? ($0.name, "NOBODY") : $0 }) == .unknownAccessKey)
        #expect(reason(Self.form().filter { $0.name != "Signature" }) == .malformedForm)
        #expect(reason(Self.form(expiration: "2007-03-27T19:00:00Z")) == .policyExpired)
        #expect(reason(Self.form(), bucket: "other") == .policyViolation)
        #expect(reason(Self.form(key: "elsewhere/a.txt")) == .policyViolation)
        #expect(reason(Self.form() + [("x-amz-meta-unnamed", "v")]) == .policyViolation)
        #expect(reason(Self.form(), allowed: false) == .signatureVersion2)
        #expect(throws: Never.self) {
            try V2.verifier().verifyPostForm(Self.form() + [("X-Ignore-Note", "v")], bucket: "b", allowsSignatureVersion2: true)
        }
    }

    @Test(arguments: [
        ("Tue, 07 Jul 1950 21:53:04 GMT", SigV4Error.Reason.badDate), ("Wed, 31 Dec 1969 23:59:59 GMT", .badDate),
        ("Tue, 07 Jul 2010 21:53:04 GMT", .clockSkew), ("Tue, 07 Jul 9999 21:53:04 GMT", .clockSkew),
    ])
    func aDateBeforeTheEpochIsNoDateAndOnlyARealOneIsSkewed(date: String, expected: SigV4Error.Reason) {
        let signature = V2.sign("GET\n\n\n\(date)\n/bucket/key")
        let request = SignableRequest(
            method: "GET", path: "/bucket/key",
            headers: [.init("Date", date), .init("Authorization", "AWS \(V2.credentials.accessKeyID):\(signature)")])
        let error = #expect(throws: SigV4Error.self) { try V2.verifier().verifySignatureVersion2(request, resourcePath: "/bucket/key") }
        #expect(error?.reason == expected)
    }
}
