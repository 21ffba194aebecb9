import S3Common
import Testing

/// Known answers for every checksum the store verifies.
struct ChecksumTests {
    static func digest(_ text: String, _ algorithms: Set<ChecksumAlgorithm>) -> StreamingDigest {
        var digest = StreamingDigest(algorithms: algorithms)
        Array(text.utf8).withUnsafeBytes { digest.update($0) }
        return digest
    }

    @Test func knownAnswers() {
        let digest = Self.digest("123456789", Set(ChecksumAlgorithm.allCases))
        #expect(digest.base64(.crc32) == "y/Q5Jg==")  // 0xCBF43926
        #expect(digest.base64(.crc32c) == "4waSgw==")  // 0xE3069283
        #expect(digest.base64(.sha1) == "98O8HYCOBHMq32eZZczDTKeuNEE=")  // hashlib.sha1
        #expect(digest.base64(.sha256) == "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU=")
        #expect(digest.md5Hex() == "25f9e794323b453885f5181f1b624d0b")
    }

    @Test func hashingInPiecesEqualsHashingAtOnce() {
        var pieces = StreamingDigest(algorithms: [.crc32c, .crc32])
        for piece in ["hello", " ", "world"] { Array(piece.utf8).withUnsafeBytes { pieces.update($0) } }
        let whole = Self.digest("hello world", [.crc32c, .crc32])
        #expect(pieces.base64(.crc32c) == whole.base64(.crc32c))
        #expect(pieces.base64(.crc32) == "DUoRhQ==")
    }
}

/// XML parsing never crashes on what a network can send.
struct XMLTreeTests {
    @Test(arguments: ["", " ", "<", "not xml", "\u{0}<x/>", "<?xml version=\"1.0\"?>"])
    func malformedInputIsNil(text: String) {
        #expect(XMLTree.parse(Array(text.utf8)) == nil)
    }

    /// libxml2 recovers unclosed elements; what matters is that such input never crashes the process.
    @Test(arguments: ["<a>", "<a><b></a>", "<a>&bogus;</a>", String(repeating: "<a>", count: 500)])
    func recoverableInputDoesNotCrash(text: String) {
        _ = XMLTree.parse(Array(text.utf8))
    }

    @Test func wellFormedInputParses() {
        let tree = XMLTree.parse(Array("<Error><Code>NoSuchKey</Code><Message>m</Message></Error>".utf8))
        #expect(tree?.name == "Error")
        #expect(tree?.text(of: "Code") == "NoSuchKey")
    }
}
