import Crypto
import Foundation
import Testing

@testable import SigV4

/// The S3 documentation's worked examples, recomputed byte for byte.
struct S3ExampleTests {
    @Test func examplesAreLoaded() {
        #expect(S3Examples.entries("presigned_url").count == 1)
        #expect(S3Examples.entries("authorization_header").count == 4)
        #expect(S3Examples.entries("post_policy").count == 1)
        #expect(S3Examples.entries("streaming_aws_chunked").count == 1)
    }

    @Test(arguments: S3Examples.entries("presigned_url"))
    func presignedURLMatchesTheDocumentation(_ example: S3Examples.Entry) throws {
        let request = SignableRequest(
            method: example.input("method"), path: example.input("path"), headers: [.init("Host", example.input("host"))])
        let expires = example.input["expires_in_seconds"] as? Int ?? 0
        let explained = try example.signer.explainPresign(request, expires: expires, date: example.date)
        #expect(explained.canonicalRequest == example.expected("canonical_request"))
        #expect(explained.stringToSign == example.expected("string_to_sign"))
        let url = try example.signer.presignedURL(request, scheme: example.input("scheme"), expires: expires, date: example.date)
        #expect(url == example.expected("presigned_url"))
    }

    @Test(arguments: S3Examples.entries("authorization_header"))
    func headerSignatureMatchesTheDocumentation(_ example: S3Examples.Entry) throws {
        let headers = (example.input["headers"] as? [String: String] ?? [:])
            .filter { $0.key.lowercased() != "x-amz-date" && $0.key.lowercased() != "x-amz-content-sha256" }
            .map { SignableRequest.Header($0.key, $0.value) }
        let request = SignableRequest(method: example.input("method"), target: example.input("raw_path"), headers: HTTPHeaders(headers))
        let bodyHash = Digest.sha256Hex(Array(example.input("body").utf8))
        let signed = example.signer.sign(request, payload: .sha256Hex(bodyHash), date: example.date)
        #expect(signed.canonicalRequest == example.expected("canonical_request"))
        #expect(signed.stringToSign == example.expected("string_to_sign"))
        #expect(signed.signature == example.expected("signature"))
        // The documentation writes "," without a space; the signer writes ", ". Both are valid.
        #expect(signed.authorization.replacingOccurrences(of: ", ", with: ",") == example.expected("authorization"))
    }

    @Test(arguments: S3Examples.entries("post_policy"))
    func postPolicySignatureMatchesTheDocumentation(_ example: S3Examples.Entry) {
        let policy = example.input("policy_json")
        let base64 = Data(policy.utf8).base64EncodedString()
        #expect(base64 == example.expected("policy_base64"))
        let signer = Signer(credentials: example.credentials, region: example.input("region"))
        #expect(signer.signPolicy(base64: base64, date: example.date) == example.expected("signature"))
    }

    @Test(arguments: S3Examples.entries("post_policy"))
    func documentedPostFormVerifies(_ example: S3Examples.Entry) throws {
        let fields = (example.raw["form_fields"] as? [String: String] ?? [:]).map { (name: $0.key, value: $0.value) }
        let beforeExpiry = AmzDate(timestamp: "20151230T000000Z")!
        let credentials = example.credentials
        let verifier = Verifier(region: "us-east-1", now: { beforeExpiry.date }, lookup: { $0 == credentials.accessKeyID ? credentials : nil })
        // The documented form keeps the `${filename}` placeholder; the store substitutes it before verifying.
        let substituted = fields.map { $0.name == "key" ? (name: "key", value: "user/user1/photo.jpg") : $0 }
        let verified = try verifier.verifyPostForm(substituted, bucket: example.input("bucket"))
        #expect(verified.key == "user/user1/photo.jpg")
        #expect(verified.policy.conditions.contains(.startsWith("Content-Type", "image/")))

        let afterExpiry = AmzDate(timestamp: "20151230T120001Z")!
        let late = Verifier(region: "us-east-1", now: { afterExpiry.date }, lookup: { _ in credentials })
        #expect(throws: SigV4Error.self) { try late.verifyPostForm(substituted, bucket: example.input("bucket")) }
        let wrongType = substituted.map { $0.name == "Content-Type" ? (name: "Content-Type", value: "text/html") : $0 }
        let error = #expect(throws: SigV4Error.self) { try verifier.verifyPostForm(wrongType, bucket: example.input("bucket")) }
        #expect(error?.reason == .policyViolation)
    }

    @Test(arguments: S3Examples.entries("streaming_aws_chunked"))
    func awsChunkedSignaturesMatchTheDocumentation(_ example: S3Examples.Entry) throws {
        let headers = (example.input["headers"] as? [String: String] ?? [:])
            .filter { $0.key.lowercased() != "x-amz-date" && $0.key.lowercased() != "x-amz-content-sha256" }
            .map { SignableRequest.Header($0.key, $0.value) }
        let request = SignableRequest(method: example.input("method"), path: example.input("path"), headers: HTTPHeaders(headers))
        let signer = Signer(credentials: example.credentials, region: example.input("region"))
        let date = AmzDate(timestamp: "20130524T000000Z")!
        var (signed, chain) = signer.signStreaming(request, payload: .streamingSigned, date: date)
        #expect(signed.canonicalRequest == example.expected("seed_canonical_request"))
        #expect(signed.signature == example.expected("seed_signature"))
        var encodedLength = 0
        for chunk in example.expected["chunks"] as? [[String: Any]] ?? [] {
            let size = chunk["size"] as? Int ?? -1
            let signature = chain.next(chunk: [UInt8](repeating: 0x61, count: size))
            #expect(signature == chunk["signature"] as? String)
            let header = ChunkSignatureChain.chunkHeader(size: size, signature: signature)
            #expect(header == chunk["wire_header"] as? String)
            encodedLength += header.utf8.count + size + 2
        }
        #expect(encodedLength == example.expected["encoded_body_length"] as? Int)
    }

    @Test func signingKeysMatchTheDocumentation() {
        for example in S3Examples.entries("signing_key_derivation") {
            if let expected = example.expected["signing_key_hex"] as? String {
                let key = SigningKey(
                    secretAccessKey: example.input("secret_access_key"), dateStamp: example.input("date"), region: example.input("region"),
                    service: example.input("service"))
                #expect(key.hex == expected)
            } else {
                for (date, expected) in example.expected {
                    let key = SigningKey(
                        secretAccessKey: example.input("secret_access_key"), dateStamp: date, region: example.input("region"),
                        service: example.input("service"))
                    #expect(key.hex == expected as? String)
                }
            }
        }
    }
}

/// The signing key's precomputed-pad HMAC equals swift-crypto's HMAC.
struct SigningKeyTests {
    @Test(arguments: [0, 1, 55, 56, 63, 64, 65, 119, 128, 1000])
    func precomputedHMACEqualsCryptoHMAC(length: Int) {
        let key = SigningKey(secretAccessKey: "secret", dateStamp: "20261129", region: "us-east-1", service: "s3")
        let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let expected = HMAC<SHA256>.authenticationCode(for: message, using: key.symmetricKey)
        #expect(Array(key.authenticationCode(of: message)) == Array(expected))
    }
}
