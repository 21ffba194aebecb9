import Foundation
import Testing

@testable import OpenIDConnect

/// Discovery documents, JWKS and PKCE.
struct ProviderMetadataTests {
    static func document(issuer: String = "https://idp.test", endpoint: String = "https://idp.test") -> [UInt8] {
        Array(
            #"{"issuer":"\#(issuer)","authorization_endpoint":"\#(endpoint)/authorize","token_endpoint":"\#(endpoint)/token","jwks_uri":"\#(endpoint)/jwks","end_session_endpoint":"\#(endpoint)/logout","code_challenge_methods_supported":["S256"]}"#
                .utf8)
    }

    @Test func aDocumentForTheIssuerIsRead() throws {
        let metadata = try ProviderMetadata(json: Self.document(), expectedIssuer: "https://idp.test")
        #expect(metadata.tokenEndpoint.absoluteString == "https://idp.test/token" && metadata.endSessionEndpoint != nil)
        #expect(metadata.codeChallengeMethods == ["S256"])
        #expect(
            ProviderMetadata.discoveryURL(issuer: "https://idp.test/realms/x/")?.absoluteString
                == "https://idp.test/realms/x/.well-known/openid-configuration")
    }

    @Test func anotherIssuerOrAPlainHTTPEndpointIsRefused() {
        #expect(throws: OIDCError.self) { try ProviderMetadata(json: Self.document(issuer: "https://evil.test"), expectedIssuer: "https://idp.test") }
        #expect(throws: OIDCError.self) { try ProviderMetadata(json: Self.document(endpoint: "http://idp.test"), expectedIssuer: "https://idp.test") }
        #expect(throws: OIDCError.self) {
            try ProviderMetadata(json: Self.document(endpoint: "http://idp.test"), expectedIssuer: "https://idp.test", allowsLoopbackHTTP: true)
        }
        #expect(throws: Never.self) {
            try ProviderMetadata(json: Self.document(endpoint: "http://127.0.0.1:9000"), expectedIssuer: "https://idp.test", allowsLoopbackHTTP: true)
        }
        #expect(throws: OIDCError.self) { try ProviderMetadata(json: Array("not json".utf8), expectedIssuer: "https://idp.test") }
    }

    @Test func keysForEncryptionOtherCurvesAndOtherAlgorithmsAreLeftOut() throws {
        let ec = TestProvider.jwk(ec: TestProvider.ec, kid: "ec")
        let set = try JSONWebKeySet(
            json: TestProvider.jwks([
                TestProvider.jwk(rsa: TestProvider.rsa, kid: "sig"),
                TestProvider.jwk(rsa: TestProvider.rsa, kid: "enc").replacingOccurrences(of: #""use":"sig""#, with: #""use":"enc""#),
                TestProvider.jwk(rsa: TestProvider.rsa, kid: "ps").replacingOccurrences(of: #""alg":"RS256""#, with: #""alg":"PS256""#),
                ec.replacingOccurrences(of: "P-256", with: "P-384").replacingOccurrences(of: #""kid":"ec""#, with: #""kid":"p384""#),
                #"{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}"#, #"{"kty":"RSA","kid":"small","n":"AQAB","e":"AQAB"}"#, ec,
            ]))
        #expect(Set(set.keys.keys) == ["sig", "ec"])
        #expect(set.onlyKey == nil)
    }

    @Test func pkceFollowsRFC7636sExample() {
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        let one = PKCE.random()
        #expect(one.verifier.count == 43 && one != PKCE.random())
    }
}
