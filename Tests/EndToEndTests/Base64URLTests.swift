import EndToEnd
import Foundation
import HTTPWire
import Testing

/// Base64url without padding (RFC 4648 section 5), the one of the project: its test vectors, and Foundation's base64
/// with the URL alphabet on every length up to 100.
struct Base64URLTests {
    @Test(arguments: [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")])
    func theRFCVectors(text: String, encoded: String) {
        #expect(Base64URL.encode(Array(text.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(text.utf8))
    }

    @Test func everyLengthMatchesFoundationWithTheURLAlphabet() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...100 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) } + (length == 99 ? [0xFB, 0xFF, 0xBF] : [])
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected, "length \(bytes.count)")
            #expect(Base64URL.decode(expected) == bytes)
        }
    }
}
