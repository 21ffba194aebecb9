import Foundation
import HTTPWire
import Synchronization
import Testing

@testable import OpenIDConnect

/// Each check of the ID-token verifier, with a token that breaks only that check.
struct IDTokenVerifierTests {
    typealias P = TestProvider

    static func verifier(keys: [UInt8] = P.standardKeys, at clock: Int64 = P.now) -> IDTokenVerifier {
        IDTokenVerifier(issuer: P.issuer, clientID: P.clientID, keys: KeySetCache(now: { clock }, fetch: { keys }), now: { clock })
    }

    static func reason(_ token: String, nonce: String = "the-nonce", at clock: Int64 = P.now) -> OIDCError.Reason? {
        (#expect(throws: OIDCError.self) { try verifier(at: clock).verify(token, nonce: nonce) })?.reason
    }

    @Test func rs256AndES256TokensVerifyAndTheirClaimsAreRead() throws {
        let claims = try Self.verifier().verify(P.token(P.claims()), nonce: "the-nonce")
        #expect(claims.subject == "user-42" && claims.strings("email") == ["ada@example.org"] && claims.strings("groups") == ["staff", "admins"])
        let ec = try Self.verifier().verify(P.token(P.claims(), header: ["alg": "ES256", "kid": "ec-1"], signer: .ec(P.ec)), nonce: "the-nonce")
        #expect(ec.subject == "user-42")
    }

    @Test func aTamperedTokenIsRefused() {
        let token = P.token(P.claims())
        let parts = token.split(separator: ".").map(String.init)
        let otherPayload = P.token(P.claims(["sub": "admin"])).split(separator: ".").map(String.init)[1]
        #expect(Self.reason([parts[0], otherPayload, parts[2]].joined(separator: ".")) == .badSignature)
        var signature = Base64URL.decode(parts[2])!
        signature[10] ^= 1
        #expect(Self.reason([parts[0], parts[1], Base64URL.encode(signature)].joined(separator: ".")) == .badSignature)
    }

    @Test func eachClaimThatIsNotWhatItMustBeIsRefused() {
        #expect(Self.reason(P.token(P.claims(["aud": "another-client"]))) == .badClaims)
        #expect(Self.reason(P.token(P.claims(["aud": [P.clientID, "another"]]))) == .badClaims)  // several audiences need azp
        #expect(Self.reason(P.token(P.claims(["iss": "https://evil.test"]))) == .badClaims)
        #expect(Self.reason(P.token(P.claims()), nonce: "another-nonce") == .badClaims)
        #expect(Self.reason(P.token(P.claims(["nonce": NSNull()]))) == .badClaims)
        #expect(Self.reason(P.token(P.claims(["iat": P.now + 120]))) == .badClaims)
        #expect(Self.reason(P.token(P.claims(["nbf": P.now + 120]))) == .badClaims)
        #expect(Self.reason(P.token(P.claims(["sub": ""]))) == .badClaims)
        #expect(Self.reason(P.token(P.claims(["exp": NSNull()]))) == .badClaims)
        #expect(throws: Never.self) {
            try Self.verifier().verify(P.token(P.claims(["aud": [P.clientID, "x"], "azp": P.clientID])), nonce: "the-nonce")
        }
    }

    @Test func expiryHasABoundedSkew() {
        let token = P.token(P.claims(["exp": P.now]))
        #expect(throws: Never.self) { try Self.verifier(at: P.now + 59).verify(token, nonce: "the-nonce") }
        #expect(Self.reason(token, at: P.now + 60) == .badClaims)
    }

    @Test func onlyRS256AndES256EachUnderItsOwnKeyType() {
        #expect(Self.reason(P.token(P.claims(), header: ["alg": "none", "kid": "rsa-1"])) == .unsupportedAlgorithm)
        #expect(Self.reason(P.token(P.claims(), header: ["alg": "HS256", "kid": "rsa-1"])) == .unsupportedAlgorithm)
        // An RSA key never verifies ES256, nor a P-256 key RS256, whatever the header says.
        #expect(Self.reason(P.token(P.claims(), header: ["alg": "ES256", "kid": "rsa-1"], signer: .ec(P.ec))) == .unsupportedAlgorithm)
        #expect(Self.reason(P.token(P.claims(), header: ["alg": "RS256", "kid": "ec-1"])) == .unsupportedAlgorithm)
        #expect(Self.reason(P.token(P.claims(), header: ["alg": "RS256", "kid": "rsa-1", "crit": ["exp"]])) == .malformedToken)
    }

    @Test(arguments: ["", "a.b", "a.b.c.d", "!!.e30.c2ln", "e30..c2ln", String(repeating: "a", count: 17_000) + ".e30.c2ln"])
    func aTokenThatIsNotACompactJWSIsMalformed(token: String) {
        #expect(Self.reason(token) == .malformedToken)
    }

    @Test func anUnknownKeyRefetchesTheSetAtMostOnceAMinute() throws {
        let provider = RotatingProvider()
        let verifier = provider.verifier
        _ = try verifier.verify(P.token(P.claims()), nonce: "the-nonce")
        #expect(provider.fetches.withLock { $0 } == 1)
        // The provider rotates to a new key: a token under it refetches, within the minute only once.
        provider.published.withLock { $0 = P.jwks([P.jwk(rsa: P.rotatedRSA, kid: "rsa-2")]) }
        let rotated = P.token(P.claims(), header: ["alg": "RS256", "kid": "rsa-2"], signer: .rsa(P.rotatedRSA))
        let early = #expect(throws: OIDCError.self) { try verifier.verify(rotated, nonce: "the-nonce") }
        #expect(early?.reason == .unknownKey && provider.fetches.withLock { $0 } == 1)
        for _ in 0..<50 { _ = try? verifier.verify(P.token(P.claims(), header: ["alg": "RS256", "kid": "made-up"]), nonce: "the-nonce") }
        #expect(provider.fetches.withLock { $0 } == 1)
        provider.clock.withLock { $0 += 60 }
        #expect(try verifier.verify(rotated, nonce: "the-nonce").subject == "user-42")
        #expect(provider.fetches.withLock { $0 } == 2)
        // The old key is no longer listed: its tokens are refused.
        provider.clock.withLock { $0 += 60 }
        let old = #expect(throws: OIDCError.self) { try verifier.verify(P.token(P.claims()), nonce: "the-nonce") }
        #expect(old?.reason == .unknownKey)
    }

    @Test func aKeyTheProviderStoppedListingIsTrustedForTenMinutesAtMost() throws {
        let provider = RotatingProvider()
        let verifier = provider.verifier
        let token = P.token(P.claims())
        _ = try verifier.verify(token, nonce: "the-nonce")
        provider.published.withLock { $0 = P.jwks([P.jwk(rsa: P.rotatedRSA, kid: "rsa-2")]) }  // rsa-1 retired
        provider.clock.withLock { $0 += 599 }
        _ = try verifier.verify(token, nonce: "the-nonce")  // the set is under ten minutes old: no fetch
        #expect(provider.fetches.withLock { $0 } == 1)
        provider.clock.withLock { $0 += 1 }
        let retired = #expect(throws: OIDCError.self) { try verifier.verify(token, nonce: "the-nonce") }
        #expect(retired?.reason == .unknownKey && provider.fetches.withLock { $0 } == 2)
    }
}

/// A provider that publishes `published` (counting its fetches), and a verifier whose key cache runs on `clock`.
final class RotatingProvider: Sendable {
    let fetches = Mutex(0)
    let published = Mutex(TestProvider.standardKeys)
    let clock = Mutex(TestProvider.now)
    var verifier: IDTokenVerifier {
        let fetch: KeySetCache.Fetch = { [self] in
            fetches.withLock { $0 += 1 }
            return published.withLock { $0 }
        }
        let cache = KeySetCache(now: { [self] in clock.withLock { $0 } }, fetch: fetch)
        return IDTokenVerifier(issuer: TestProvider.issuer, clientID: TestProvider.clientID, keys: cache, now: { TestProvider.now })
    }
}
