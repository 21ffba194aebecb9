import Testing

@testable import SigV4

struct HexTests {
    @Test func everyByteIsWrittenAsTwoLowercaseDigits() {
        let all = (0...255).map { UInt8($0) }
        var written: [UInt8] = []
        all.withUnsafeBytes { Hex.append(raw: $0, to: &written) }
        let expected = all.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(String(decoding: written, as: UTF8.self) == expected)
        #expect(Hex.string(all) == expected)
        #expect(Hex.decode(expected) == all)
    }
}
