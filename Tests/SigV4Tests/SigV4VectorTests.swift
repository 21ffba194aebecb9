import Foundation
import SigV4
import Testing

/// The official SigV4 test suite, in both the header and the query (presigned) form.
struct SigV4VectorTests {
    @Test func allThirtyEightCasesAreLoaded() {
        #expect(SigV4Vector.all.count == 38)
    }

    @Test(arguments: SigV4Vector.all)
    func headerSigningMatchesTheSuite(_ vector: SigV4Vector) {
        let signed = vector.signer.sign(
            vector.request, payload: vector.payload, date: vector.date, addsContentSHA256Header: vector.context.signBody,
            signsSessionToken: vector.context.omitSessionToken != true)
        #expect(signed.canonicalRequest == vector.expected("header-canonical-request.txt"))
        #expect(signed.stringToSign == vector.expected("header-string-to-sign.txt"))
        #expect(signed.signature == vector.expected("header-signature.txt"))
        let (_, expectedHeaders, _) = SigV4Vector.splitMessage(vector.expected("header-signed-request.txt"))
        #expect(Self.multiset(Array(signed.headers)) == Self.multiset(expectedHeaders))
    }

    @Test(arguments: SigV4Vector.all)
    func querySigningMatchesTheSuite(_ vector: SigV4Vector) throws {
        let signsToken = vector.context.omitSessionToken != true
        let explained = try vector.signer.explainPresign(
            vector.request, expires: vector.context.expirationInSeconds, payload: vector.payload, date: vector.date,
            signsSessionToken: signsToken)
        #expect(explained.canonicalRequest == vector.expected("query-canonical-request.txt"))
        #expect(explained.stringToSign == vector.expected("query-string-to-sign.txt"))
        #expect(explained.signature == vector.expected("query-signature.txt"))

        let presigned = try vector.signer.presign(
            vector.request, expires: vector.context.expirationInSeconds, payload: vector.payload, date: vector.date,
            signsSessionToken: signsToken)
        let (requestLine, _, _) = SigV4Vector.splitMessage(vector.expected("query-signed-request.txt"))
        let target = requestLine.dropLast(" HTTP/1.1".count).split(separator: " ", maxSplits: 1)[1]
        let expectedQuery = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        #expect(Self.parameterSet(presigned.query) == Self.parameterSet(expectedQuery))
    }

    static func multiset(_ headers: [SignableRequest.Header]) -> [String] {
        headers.map { "\($0.name.lowercased()):\($0.value)" }.sorted()
    }

    /// The suite compares parameters as a set with case-insensitive keys (its README, quirk 4).
    static func parameterSet(_ query: String) -> [String] {
        QueryItem.parse(query).map { "\($0.name.lowercased())=\($0.value)" }.sorted()
    }
}
