import Crypto
import Foundation
import Testing

@testable import SigV4

/// Signature Version 2: AWS's documented example, and what the verifier takes and refuses.
struct SignatureVersion2Tests {
    static let credentials = Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let when = Date(timeIntervalSince1970: 1_175_024_202)  // Tue, 27 Mar 2007 19:36:42 GMT

    static func verifier() -> Verifier {
        Verifier(region: "us-east-1", now: { when }, lookup: { $0 == credentials.accessKeyID ? credentials : nil })
    }

    static func sign(_ text: String) -> String {
        Data(HMAC<Insecure.SHA1>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: Array(credentials.secretAccessKey.utf8))))
            .base64EncodedString()
    }

    @Test func theDocumentedExampleSignsAsAWSSays() {
        let request = SignableRequest(method: "GET", path: "/photos/puppy.jpg", headers: [.init("Date", "Tue, 27 Mar 2007 19:36:42 +0000")])
        let text = Verifier.signatureVersion2StringToSign(
            request, resourcePath: "/awsexamplebucket1/photos/puppy.jpg", dateLine: "Tue, 27 Mar 2007 19:36:42 +0000", fromQuery: false)
        #expect(text == "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/awsexamplebucket1/photos/puppy.jpg")
        #expect(Self.sign(text) == "qgk2+6Sv9/oM7G3qLEjTH1a1l1g=")
    }

    @Test func amzHeadersAndSubresourcesAreCanonical() {
        let request = SignableRequest(
            method: "PUT", path: "/b/k", query: [.init("uploadId", "abc"), .init("partNumber", "2"), .init("unrelated", "x")],
            headers: [
                .init("Content-Type", "text/plain"), .init("X-Amz-Meta-B", " two "), .init("x-amz-meta-a", "one"), .init("x-amz-meta-b", "three"),
            ])
        let text = Verifier.signatureVersion2StringToSign(request, resourcePath: "/b/k", dateLine: "D", fromQuery: false)
        #expect(text == "PUT\n\ntext/plain\nD\nx-amz-meta-a:one\nx-amz-meta-b:two,three\n/b/k?partNumber=2&uploadId=abc")
    }

    @Test func aSignedRequestVerifiesAndEveryChangeIsRefused() throws {
        let date = "Tue, 27 Mar 2007 19:36:42 GMT"
        let signature = Self.sign("GET\n\n\n\(date)\n/bucket/key")
        let signed = SignableRequest(
            method: "GET", path: "/bucket/key", headers: [.init("Date", date), .init("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:\(signature)")])
        #expect(Verifier.isSignatureVersion2(signed))
        #expect(try Self.verifier().verifySignatureVersion2(signed, resourcePath: "/bucket/key").accessKeyID == "AKIAIOSFODNN7EXAMPLE")
        let changed = SignableRequest(method: "GET", path: "/bucket/other", headers: signed.headers)
        let mismatch = #expect(throws: SigV4Error.self) { try Self.verifier().verifySignatureVersion2(changed, resourcePath: "/bucket/other") }
        #expect(mismatch?.reason == .signatureMismatch && mismatch?.expectedStringToSign == "GET\n\n\n\(date)\n/bucket/other")
        let late = Verifier(region: "us-east-1", now: { Self.when.addingTimeInterval(3_600) }, lookup: { _ in Self.credentials })
        #expect(throws: SigV4Error.self) { try late.verifySignatureVersion2(signed, resourcePath: "/bucket/key") }
    }

    @Test func aPresignedURLExpires() throws {
        let expires = "1175024262"  // a minute after `when`
        let signature = Self.sign("GET\n\n\n\(expires)\n/bucket/key")
        let query: [QueryItem] = [
            .init("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"), .init("Expires", expires), .init("Signature", PercentEncoding.encode(signature)),
        ]
        let request = SignableRequest(method: "GET", path: "/bucket/key", query: query)
        #expect(try Self.verifier().verifySignatureVersion2(request, resourcePath: "/bucket/key").expiresAt?.secondsSince1970 == 1_175_024_262)
        let later = Verifier(region: "us-east-1", now: { Self.when.addingTimeInterval(61) }, lookup: { _ in Self.credentials })
        let refusal = #expect(throws: SigV4Error.self) { try later.verifySignatureVersion2(request, resourcePath: "/bucket/key") }
        #expect(refusal?.reason == .expired)
    }
}
