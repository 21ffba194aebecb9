import Crypto
import Testing

@testable import SigV4

/// The HMAC with its pads absorbed against swift-crypto's `HMAC<SHA256>`, for keys on both sides of the block size.
struct PrecomputedHMACTests {
    @Test(arguments: [0, 1, 31, 32, 63, 64, 65, 200])
    func itGivesWhatHMACGivesForEveryKeyLength(keyLength: Int) {
        var random = SystemRandomNumberGenerator()
        let key = (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &random) }
        for messageLength in [0, 1, 55, 56, 64, 119, 1_000] {
            let message = (0..<messageLength).map { _ in UInt8.random(in: 0...255, using: &random) }
            let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
            let hmac = key.withUnsafeBytes { PrecomputedHMAC(key: $0) }
            #expect(
                message.withUnsafeBytes { Array(hmac.authenticationCode(bufferPointer: $0)) } == expected, "key \(keyLength) message \(messageLength)"
            )
            // The same code twice from one value: making a code leaves the value as it was.
            #expect(message.withUnsafeBytes { Array(hmac.authenticationCode(bufferPointer: $0)) } == expected)
        }
    }

    @Test func anAbsorbedPrefixIsPartOfEveryMessage() {
        var keyed = PrecomputedHMAC(key: "a gateway secret that is longer than one SHA-256 block, as long secrets are, for sure")
        Array("upload:".utf8).withUnsafeBytes { keyed.absorb($0) }
        let key = SymmetricKey(data: Array("a gateway secret that is longer than one SHA-256 block, as long secrets are, for sure".utf8))
        for payload in ["", "eyJrZXkiOiJ2YWx1ZSJ9", String(repeating: "x", count: 300)] {
            let expected = Array(HMAC<SHA256>.authenticationCode(for: Array("upload:\(payload)".utf8), using: key))
            #expect(Array(payload.utf8).withUnsafeBytes { Array(keyed.authenticationCode(bufferPointer: $0)) } == expected)
        }
    }
}
