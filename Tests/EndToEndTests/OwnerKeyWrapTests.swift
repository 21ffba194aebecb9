import Crypto
import DropgateAPI
import EndToEnd
import Foundation
import HTTPWire
import Testing

/// Keys wrapped to a file request's owner (issue 30) against the vectors Python's `cryptography` made, on both curves:
/// Swift wraps to the same bytes, opens them, refuses another key in plain words, and reads the sealed owner key.
struct OwnerKeyWrapTests {
    struct Vectors: Decodable {
        struct OwnerWrap: Decodable {
            var alg: String
            var ownerPrivate: String
            var ownerPublic: String
            var ephemeralPrivate: String
            var key: String
            var wrap: OwnerWrappedKey
            var fragment: String
            var fingerprint: String
        }
        struct SealedOwner: Decodable {
            var passphrase: String
            var wrap: WrappedKey
            var ownerPrivate: String
        }
        var ownerWraps: [OwnerWrap]
        var ownerKeyWrap: SealedOwner
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/e2e-vectors.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    static func hex(_ text: String) -> [UInt8] { SealedFormatTests.hex(text) }

    @Test(arguments: [0, 1])
    func wrapsToTheVectorAndOpensIt(index: Int) throws {
        let vector = Self.vectors.ownerWraps[index]
        let owner = try OwnerKey(pkcs8: Self.hex(vector.ownerPrivate))
        #expect(owner.algorithm.rawValue == vector.alg)
        #expect(owner.publicRaw == Self.hex(vector.ownerPublic))
        let ephemeral = try OwnerKey(pkcs8: Self.hex(vector.ephemeralPrivate))
        let key = SymmetricKey(data: Self.hex(vector.key))
        let made = try OwnerKeyWrap.wrap(key, to: owner.publicKey, ephemeral: ephemeral, nonce: Base64URL.decode(vector.wrap.nonce))
        #expect(made == vector.wrap)
        #expect(try OwnerKeyWrap.unwrap(vector.wrap, with: owner) == key)
        // A fresh wrap (new key pair, new nonce) opens too, and differs.
        let fresh = try OwnerKeyWrap.wrap(key, to: owner.publicKey)
        #expect(fresh != vector.wrap)
        #expect(try OwnerKeyWrap.unwrap(fresh, with: owner) == key)
        // Another key of the same curve: refused in plain words.
        let other = OwnerKey.generate(owner.algorithm)
        #expect(throws: OwnerKeyError.wrongKey) { try OwnerKeyWrap.unwrap(vector.wrap, with: other) }
        #expect("\(OwnerKeyError.wrongKey)".contains("encrypted to another key"))
        // The key read back from its own PKCS #8 is the same key.
        #expect(try OwnerKey(pkcs8: owner.pkcs8).publicRaw == owner.publicRaw)
    }

    @Test(arguments: [0, 1])
    func fragmentAndFingerprint(index: Int) throws {
        let vector = Self.vectors.ownerWraps[index]
        let key = OwnerPublicKey(alg: vector.alg, key: Base64URL.encode(Self.hex(vector.ownerPublic)))
        #expect(OwnerFragment.fragment(key) == vector.fragment)
        #expect(OwnerFragment.parse(link: "https://x.test/r/abc#" + vector.fragment) == key)
        #expect(try OwnerFragment.fingerprint(key) == vector.fingerprint)
    }

    @Test func refusesMalformedKeys() throws {
        for link in ["https://x.test/r/a", "https://x.test/r/a#pk=X25519.short", "https://x.test/r/a#pk=RSA.AAAA", "https://x.test/r/a#k=abc"] {
            #expect(OwnerFragment.parse(link: link) == nil, "\(link)")
        }
        // A P-256 "key" of the right length that is not a point on the curve.
        let notAPoint = OwnerPublicKey(alg: "P-256", key: Base64URL.encode([0x04] + [UInt8](repeating: 7, count: 64)))
        #expect(throws: OwnerKeyError.unreadable) { try OwnerFragment.publicRaw(notAPoint) }
        #expect(throws: OwnerKeyError.unreadable) { try OwnerKey(pkcs8: [1, 2, 3]) }
        // A wrap to one curve offered to a key of the other.
        let x = OwnerKey.generate(.x25519)
        let wrap = try OwnerKeyWrap.wrap(SymmetricKey(size: .bits256), to: x.publicKey)
        #expect(throws: OwnerKeyError.wrongKey) { try OwnerKeyWrap.unwrap(wrap, with: OwnerKey.generate(.p256)) }
    }

    @Test func opensTheSealedOwnerKey() throws {
        let sealed = Self.vectors.ownerKeyWrap
        let owner = try OwnerKey(sealed: sealed.wrap, passphrase: sealed.passphrase)
        #expect(owner.pkcs8 == Self.hex(sealed.ownerPrivate))
        #expect(throws: OwnerKeyError.wrongPassphrase) { try OwnerKey(sealed: sealed.wrap, passphrase: "not it") }
    }
}
