import HTTPWire
import SigV4
import Testing

/// Only signed headers act: a presigned URL carries no `x-amz-*` header it did not sign (but `x-amz-content-sha256`,
/// which AWS tolerates and whose promise comes from the query), so nobody can turn an upload URL into a copy, an ACL
/// change or new metadata.
struct UnsignedHeaderTests {
    typealias F = VerifierFixtures

    static func presignedPut(signing headers: HTTPHeaders = []) throws -> (query: String, headers: HTTPHeaders) {
        var fields: HTTPHeaders = [.init("Host", "localhost")]
        for field in headers { fields.append(field) }
        let request = SignableRequest(method: "PUT", path: "/bucket/uploads/a.txt", headers: fields)
        return (try F.signer().presign(request, expires: 900, date: F.date).query, request.headers)
    }

    @Test(arguments: [
        "x-amz-copy-source", "x-amz-acl", "x-amz-grant-read", "x-amz-meta-note", "x-amz-tagging", "x-amz-metadata-directive",
        "X-Amz-Storage-Class", "x-amz-server-side-encryption",
    ])
    func anUnsignedAmzHeaderIsRefusedAndNamed(name: String) throws {
        let (query, headers) = try Self.presignedPut()
        var sentHeaders = headers
        sentHeaders.append(.init(name, "/bucket/shared/big.bin"))
        let sent = SignableRequest(method: "PUT", target: "/bucket/uploads/a.txt?" + query, headers: sentHeaders)
        let error = #expect(throws: SigV4Error.self) { try F.verifier().verify(sent) }
        #expect(error?.reason == .headersNotSigned)
        #expect(error?.headersNotSigned == [name.lowercased()])
        #expect(error?.message == "There were headers present in the request which were not signed: \(name.lowercased()).")
    }

    @Test func aSignedAmzHeaderAndAnUnsignedPayloadHashPass() throws {
        let (query, headers) = try Self.presignedPut(signing: [.init("x-amz-acl", "bucket-owner-full-control")])
        var sentHeaders = headers
        sentHeaders.append(.init("x-amz-content-sha256", "UNSIGNED-PAYLOAD"))
        let sent = SignableRequest(method: "PUT", target: "/bucket/uploads/a.txt?" + query, headers: sentHeaders)
        let verified = try F.verifier().verify(sent)
        #expect(verified.payload == .unsigned)
    }
}
