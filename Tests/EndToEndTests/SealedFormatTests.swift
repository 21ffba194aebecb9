import Crypto
import EndToEnd
import Foundation
import HTTPWire
import Testing

/// The `DGE1` format (issue 17) against the test vectors `Tests/Fixtures/make-e2e-vectors.py` made with Python's
/// `cryptography`: the Swift implementation seals the same bytes, opens them back, and refuses every tampering.
struct SealedFormatTests {
    struct Vectors: Decodable {
        struct Vector: Decodable {
            var name: String
            var key: String
            var prefix: String
            var recordSize: Int
            var size: Int
            var sealedSHA256: String
            var sealed: String?
        }
        struct Tampering: Decodable {
            var name: String
            var key: String?
            var sealed: String
            var error: String
        }
        struct Wrap: Decodable {
            var password: String
            var salt: String
            var iterations: Int
            var nonce: String
            var wrapped: String
            var access: String
            var key: String
        }
        struct Fragment: Decodable {
            var key: String
            var fragment: String
        }
        var vectors: [Vector]
        var tamperings: [Tampering]
        var keyWrap: Wrap
        var fragment: Fragment
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/e2e-vectors.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    static let key = SymmetricKey(data: hex(vectors.vectors[0].key))

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func plaintext(_ size: Int) -> [UInt8] { (0..<size).map { UInt8(($0 * 7 + 3) % 256) } }

    static func hexDigest(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    @Test(arguments: vectors.vectors.map(\.name))
    func sealsTheVectorsBytesAndOpensThem(name: String) throws {
        let vector = try #require(Self.vectors.vectors.first { $0.name == name })
        let file = SealedFile(
            key: SymmetricKey(data: Self.hex(vector.key)), header: SealedHeader(recordSize: vector.recordSize, prefix: Self.hex(vector.prefix)))
        let sealed = try file.seal(Self.plaintext(vector.size))
        #expect(Self.hexDigest(sealed) == vector.sealedSHA256)
        if let expected = vector.sealed { #expect(sealed == Self.hex(expected)) }
        #expect(Int64(sealed.count) == SealedFormat.sealedSize(plaintextSize: Int64(vector.size), recordSize: vector.recordSize))
        #expect(try SealedFile.open(sealed, key: file.key) == Self.plaintext(vector.size))
    }

    @Test(arguments: vectors.tamperings.map(\.name))
    func refusesEveryTampering(name: String) throws {
        let tampering = try #require(Self.vectors.tamperings.first { $0.name == name })
        let key = tampering.key.map { SymmetricKey(data: Self.hex($0)) } ?? Self.key
        let expected: SealedFileError =
            switch tampering.error {
            case "truncated": .truncated
            case "notSealed": .notSealed
            default: .tampered
            }
        #expect(throws: expected) { try SealedFile.open(Self.hex(tampering.sealed), key: key) }
    }

    @Test(arguments: [1, 7, 1_040, 1_041, 4_096])
    func opensTheSameWhateverTheBytesArriveIn(pieceSize: Int) throws {
        let vector = try #require(Self.vectors.vectors.first { $0.name == "three records" })
        let sealed = Self.hex(try #require(vector.sealed))
        var reader = SealedReader(file: SealedFile(key: Self.key, header: try #require(SealedHeader(parsing: sealed))))
        var out: [UInt8] = []
        var offset = SealedFormat.headerSize
        while offset < sealed.count {
            try reader.feed(sealed[offset..<min(sealed.count, offset + pieceSize)]) { out += $0 }
            offset += pieceSize
        }
        try reader.finish { out += $0 }
        #expect(out == Self.plaintext(vector.size))
    }

    @Test func theKeyWrapMatchesItsVectorAndRefusesAWrongPassword() throws {
        let wrap = Self.vectors.keyWrap
        let kept = KeyWrap(salt: wrap.salt, iterations: wrap.iterations, nonce: wrap.nonce, wrapped: wrap.wrapped)
        let (key, access) = try kept.unwrap(password: wrap.password)
        #expect(key.withUnsafeBytes { Array($0) } == Self.hex(wrap.key))
        #expect(Base64URL.encode(access) == wrap.access)
        let (made, madeAccess) = try KeyWrap.wrap(
            key, password: wrap.password, salt: Base64URL.decode(wrap.salt), nonce: Base64URL.decode(wrap.nonce), iterations: wrap.iterations)
        #expect(made == kept && madeAccess == access)
        #expect(throws: KeyWrapError.wrongPassword) { try kept.unwrap(password: wrap.password + "!") }
        var hostile = kept
        hostile.iterations = 2_000_000_000
        #expect(throws: KeyWrapError.unreadable) { try hostile.unwrap(password: wrap.password) }
    }

    @Test func theFragmentCarriesTheKey() throws {
        let fragment = Self.vectors.fragment
        #expect(ShareKey.fragment(SymmetricKey(data: Self.hex(fragment.key))) == fragment.fragment)
        let parsed = try #require(ShareKey.parse(link: "http://localhost:5001/s/AAAAAAAAAAAAAAAAAAAAAA#" + fragment.fragment))
        #expect(parsed.withUnsafeBytes { Array($0) } == Self.hex(fragment.key))
        #expect(ShareKey.parse(link: "http://localhost:5001/s/AAAAAAAAAAAAAAAAAAAAAA") == nil)
        #expect(ShareKey.parse(link: "http://x/s/A#k=short") == nil)
    }

    @Test(arguments: [(Int64(0), 1_024, Int64(32)), (1_024, 1_024, 1_056), (1_025, 1_024, 1_073), (-1, 1_024, nil), (5, 100, nil)])
    func theSealedSizeIsExact(size: Int64, recordSize: Int, sealed: Int64?) {
        #expect(SealedFormat.sealedSize(plaintextSize: size, recordSize: recordSize) == sealed)
    }
}
