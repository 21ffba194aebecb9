import Crypto
import Foundation
import SigV4
import Testing

/// The verifier accepts what the signer signs, and refuses every change with S3's error code.
struct VerifierTests {
    typealias F = VerifierFixtures

    @Test(arguments: F.seeds)
    func presignedRequestsVerify(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let request = F.randomRequest(&random)
        let presigned = try F.signer().presign(request, expires: 900, date: F.date)
        let sent = SignableRequest(method: request.method, target: request.path + "?" + presigned.query, headers: request.headers)
        let verified = try F.verifier().verify(sent)
        #expect(verified.accessKeyID == F.credentials.accessKeyID)
        #expect(verified.expiresAt == F.date.adding(seconds: 900))
    }

    @Test(arguments: F.seeds)
    func headerSignedRequestsVerify(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let request = F.randomRequest(&random)
        let signed = F.signer().sign(request, payload: .sha256Hex(Digest.sha256Hex(Array("body \(seed)".utf8))), date: F.date)
        let sent = SignableRequest(method: request.method, path: request.path, query: request.query, headers: signed.headers)
        let verified = try F.verifier().verify(sent)
        #expect(verified.signature == signed.signature)
    }

    /// Each mutation of a presigned request, and the code S3 answers it with.
    static let presignedMutations: [(String, @Sendable (SignableRequest) -> SignableRequest)] = [
        (
            "method",
            {
                var r = $0
                r.method = r.method == "GET" ? "PUT" : "GET"
                return r
            }
        ),
        (
            "path",
            {
                var r = $0
                r.path += "x"
                return r
            }
        ),
        (
            "bucket",
            {
                var r = $0
                r.path = r.path.replacingOccurrences(of: "/bucket/", with: "/bucket2/")
                return r
            }
        ),
        (
            "added parameter",
            {
                var r = $0
                r.query.insert(.init("versionId", "1"), at: 0)
                return r
            }
        ),
        (
            "expires",
            {
                var r = $0
                r.query = r.query.map { $0.name == "X-Amz-Expires" ? .init($0.name, "901") : $0 }
                return r
            }
        ),
        (
            "date",
            {
                var r = $0
                r.query = r.query.map { $0.name == "X-Amz-Date" ? .init($0.name, "20261129T100001Z") : $0 }
                return r
            }
        ),
        (
            "signed header",
            {
                var r = $0
                r.headers.set("Host", "127.0.0.1:5003")
                return r
            }
        ),
        (
            "signature",
            {
                var r = $0
                r.query = r.query.map { $0.name == "X-Amz-Signature" ? .init($0.name, flip($0.value)) : $0 }
                return r
            }
        ),
    ]

    @Test(arguments: F.seeds.prefix(20), 0..<presignedMutations.count)
    func anyChangeToAPresignedRequestIsRefused(seed: UInt64, mutation: Int) throws {
        var random = SplitMix64(state: seed)
        let request = F.randomRequest(&random)
        let presigned = try F.signer().presign(request, expires: 900, date: F.date)
        let sent = SignableRequest(method: request.method, target: request.path + "?" + presigned.query, headers: request.headers)
        let (name, mutate) = Self.presignedMutations[mutation]
        let error = #expect(throws: SigV4Error.self, "\(name)") { try F.verifier().verify(mutate(sent)) }
        #expect(error?.reason == .signatureMismatch, "\(name)")
        #expect(error?.expectedCanonicalRequest?.isEmpty == false)
    }

    @Test(arguments: F.seeds.prefix(20))
    func anyChangeToAHeaderSignedRequestIsRefused(seed: UInt64) {
        var random = SplitMix64(state: seed)
        let request = F.randomRequest(&random)
        let signed = F.signer().sign(request, payload: .unsigned, date: F.date)
        let sent = SignableRequest(method: request.method, path: request.path, query: request.query, headers: signed.headers)
        var mutations: [SignableRequest] = []
        var changedMethod = sent
        changedMethod.method = sent.method == "PUT" ? "POST" : "PUT"
        mutations.append(changedMethod)
        var changedPath = sent
        changedPath.path += "/other"
        mutations.append(changedPath)
        var changedHost = sent
        changedHost.headers.set("Host", "evil.example")
        mutations.append(changedHost)
        var changedDate = sent
        changedDate.headers = HTTPHeaders(sent.headers.map { $0.name == "X-Amz-Date" ? .init($0.name, "20261129T100005Z") : $0 })
        mutations.append(changedDate)
        var changedPayload = sent
        changedPayload.headers = HTTPHeaders(sent.headers.map { $0.name == "x-amz-content-sha256" ? .init($0.name, Payload.emptySHA256) : $0 })
        mutations.append(changedPayload)
        for mutated in mutations {
            let error = #expect(throws: SigV4Error.self) { try F.verifier().verify(mutated) }
            #expect(error?.reason == .signatureMismatch)
        }
    }

    @Test func expiredURLIsRejected() throws {
        let request = SignableRequest(method: "GET", path: "/bucket/a.txt", headers: [.init("Host", "localhost")])
        let presigned = try F.signer().presign(request, expires: 60, date: F.date)
        let sent = SignableRequest(method: "GET", target: "/bucket/a.txt?" + presigned.query, headers: request.headers)
        _ = try F.verifier(at: F.date.adding(seconds: 60)).verify(sent)
        let error = #expect(throws: SigV4Error.self) { try F.verifier(at: F.date.adding(seconds: 61)).verify(sent) }
        #expect(error?.reason == .expired)
        #expect(error?.message == "Request has expired")
    }

    @Test(arguments: ["0", "-1", "-604800"])
    func anExpiryOfNoTimeOrLessHasExpired(expires: String) throws {
        let request = SignableRequest(method: "GET", path: "/bucket/a.txt", headers: [.init("Host", "localhost")])
        let presigned = try F.signer().presign(request, expires: 60, date: F.date)
        let query = presigned.query.replacingOccurrences(of: "X-Amz-Expires=60", with: "X-Amz-Expires=\(expires)")
        let sent = SignableRequest(method: "GET", target: "/bucket/a.txt?" + query, headers: request.headers)
        let error = #expect(throws: SigV4Error.self) { try F.verifier().verify(sent) }
        #expect(error?.reason == .expired)
    }

    @Test func expiryOverSevenDaysIsRejected() throws {
        let request = SignableRequest(method: "GET", path: "/bucket/a.txt", headers: [.init("Host", "localhost")])
        #expect(throws: SigV4Error.self) { try F.signer().presign(request, expires: 604_801, date: F.date) }
        let presigned = try F.signer().presign(request, expires: 604_800, date: F.date)
        let tampered = presigned.query.replacingOccurrences(of: "X-Amz-Expires=604800", with: "X-Amz-Expires=604801")
        let error = #expect(throws: SigV4Error.self) {
            try F.verifier().verify(SignableRequest(method: "GET", target: "/bucket/a.txt?" + tampered, headers: request.headers))
        }
        #expect(error?.reason == .malformedPresign)
    }

    @Test func skewedHeaderDateIsRejected() {
        let request = SignableRequest(method: "GET", path: "/bucket/a.txt", headers: [.init("Host", "localhost")])
        let signed = F.signer().sign(request, payload: .unsigned, date: F.date.adding(seconds: -901))
        let error = #expect(throws: SigV4Error.self) {
            try F.verifier().verify(SignableRequest(method: "GET", path: "/bucket/a.txt", headers: signed.headers))
        }
        #expect(error?.reason == .clockSkew)
    }

    @Test func unknownAccessKeyIsRejected() throws {
        let stranger = Credentials(accessKeyID: "STRANGER", secretAccessKey: F.credentials.secretAccessKey)
        let request = SignableRequest(method: "GET", path: "/bucket/a.txt", headers: [.init("Host", "localhost")])
        let presigned = try F.signer(stranger).presign(request, expires: 60, date: F.date)
        let error = #expect(throws: SigV4Error.self) {
            try F.verifier().verify(SignableRequest(method: "GET", target: "/bucket/a.txt?" + presigned.query, headers: request.headers))
        }
        #expect(error?.reason == .unknownAccessKey)
    }

    @Test func wrongSecretIsASignatureMismatch() throws {
        let impostor = Credentials(accessKeyID: F.credentials.accessKeyID, secretAccessKey: "not-the-secret")
        let request = SignableRequest(method: "PUT", path: "/bucket/a.txt", headers: [.init("Host", "localhost")])
        let signed = F.signer(impostor).sign(request, payload: .unsigned, date: F.date)
        let error = #expect(throws: SigV4Error.self) {
            try F.verifier().verify(SignableRequest(method: "PUT", path: "/bucket/a.txt", headers: signed.headers))
        }
        #expect(error?.reason == .signatureMismatch)
        #expect(error?.expectedStringToSign?.hasPrefix("AWS4-HMAC-SHA256\n20261129T100000Z\n") == true)
        #expect(error.map { !"\($0)".contains(F.credentials.secretAccessKey) } == true)
    }

    @Test func unsignedHostIsRejected() {
        let request = SignableRequest(method: "GET", path: "/bucket/a.txt", headers: [.init("Range", "bytes=0-1")])
        var signed = F.signer().sign(request, payload: .unsigned, date: F.date).headers
        signed.append(.init("Host", "localhost"))
        let error = #expect(throws: SigV4Error.self) {
            try F.verifier().verify(SignableRequest(method: "GET", path: "/bucket/a.txt", headers: signed))
        }
        #expect(error?.reason == .headersNotSigned)
        #expect(error?.headersNotSigned == ["host"])
    }

    @Test func anonymousRequestIsRejected() {
        let error = #expect(throws: SigV4Error.self) {
            try F.verifier().verify(SignableRequest(method: "GET", path: "/bucket/a.txt", headers: [.init("Host", "localhost")]))
        }
        #expect(error?.reason == .anonymous)
    }

    @Test func malformedAuthorizationIsRejected() {
        let headers: [SignableRequest.Header] = [
            .init("Host", "localhost"), .init("Authorization", "AWS4-HMAC-SHA256 Credential=DROPGATEKEY/2026/us-east-1/s3/aws4_request"),
        ]
        let error = #expect(throws: SigV4Error.self) {
            try F.verifier().verify(SignableRequest(method: "GET", path: "/bucket/a.txt", headers: HTTPHeaders(headers)))
        }
        #expect(error?.reason == .malformedHeader)
    }

    @Test func tamperedChunkIsRejected() throws {
        let request = SignableRequest(
            method: "PUT", path: "/bucket/a.txt", headers: [.init("Host", "localhost"), .init("Content-Encoding", "aws-chunked")])
        let (signed, initialChain) = F.signer().signStreaming(request, date: F.date)
        let verified = try F.verifier().verify(SignableRequest(method: "PUT", path: "/bucket/a.txt", headers: signed.headers))
        var serverChain = verified.chunkChain
        var chain = initialChain
        let first = chain.next(chunk: Array("hello".utf8))
        try serverChain.verifyNext(chunkSHA256: SHA256.hash(data: Array("hello".utf8)), signature: first)
        let second = chain.next(chunk: Array("world".utf8))
        let error = #expect(throws: SigV4Error.self) {
            try serverChain.verifyNext(chunkSHA256: SHA256.hash(data: Array("World".utf8)), signature: second)
        }
        #expect(error?.reason == .signatureMismatch)
    }
}

/// Changes one character of a hex signature.
func flip(_ signature: String) -> String {
    var characters = Array(signature)
    characters[characters.count / 2] = characters[characters.count / 2] == "0" ? "1" : "0"
    return String(characters)
}

/// The `Date` header (an IMF-fixdate, or RFC 1123 with a numeric zone), parsed by position.
struct HTTPDateParsingTests {
    @Test(arguments: [
        ("Sun, 06 Nov 1994 08:49:37 GMT", "19941106T084937Z"),
        ("Tue, 01 Dec 2026 10:37:17 GMT", "20261201T103717Z"),
        ("Tue, 27 Mar 2007 19:36:42 +0000", "20070327T193642Z"),  // AWS's SigV2 example; s3cmd writes this form
        ("Tue, 27 Mar 2007 21:36:42 +0200", "20070327T193642Z"),
        ("Tue, 27 Mar 2007 14:06:42 -0530", "20070327T193642Z"),
    ])
    func imfFixdatesParse(text: String, timestamp: String) {
        #expect(AmzDate(httpDate: text)?.timestamp == timestamp)
    }

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 UTC", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT", "",
        "Sun, 06 Nov 1994 08:49:37 +2400", "Sun, 06 Nov 1994 08:49:37 +0060", "Sun, 06 Nov 1994 08:49:37 00000", "Sun, 06 Nov 1994 08:49:37 +00:0",
    ])
    func anythingElseIsRefused(text: String) {
        #expect(AmzDate(httpDate: text) == nil)
    }
}
