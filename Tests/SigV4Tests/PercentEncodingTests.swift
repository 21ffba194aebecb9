import Foundation
import Testing

@testable import SigV4

/// SigV4's URI encoding against RFC 3986's definition of the unreserved set, written out independently here.
struct PercentEncodingTests {
    static let unreserved = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    static func reference(_ bytes: [UInt8], keepingSlash: Bool) -> [UInt8] {
        bytes.flatMap { byte -> [UInt8] in
            if unreserved.contains(byte) || (keepingSlash && byte == 0x2F) { return [byte] }
            return Array(String(format: "%%%02X", byte).utf8)
        }
    }

    @Test func everyByteIsUnreservedExactlyWhenRFC3986SaysSo() {
        for byte in 0...255 {
            #expect(PercentEncoding.isUnreserved(UInt8(byte)) == Self.unreserved.contains(UInt8(byte)), "byte \(byte)")
        }
    }

    @Test(arguments: [false, true])
    func everyByteAtEveryPositionIsEncodedAsTheReferenceEncodesIt(keepingSlash: Bool) {
        // Each byte value after a clean prefix of every length from 0 to 9, then more clean bytes: the copied prefix,
        // the escaped byte and the rest each meet the boundary.
        for byte in 0...255 {
            for prefix in 0..<10 {
                let input = Array(repeating: UInt8(ascii: "k"), count: prefix) + [UInt8(byte)] + Array("tail/x".utf8)
                var fast: [UInt8] = Array("before".utf8)
                input.withUnsafeBufferPointer { PercentEncoding.append(buffer: $0, to: &fast, keepingSlash: keepingSlash) }
                #expect(fast == Array("before".utf8) + Self.reference(input, keepingSlash: keepingSlash), "byte \(byte) after \(prefix)")
                var generic: [UInt8] = []
                PercentEncoding.append(input, to: &generic, keepingSlash: keepingSlash)
                #expect(generic == Self.reference(input, keepingSlash: keepingSlash))
            }
        }
    }

    @Test func unicodeKeysAreEncodedByteByByte() {
        #expect(PercentEncoding.encode("a b/ü", keepingSlash: true) == "a%20b/%C3%BC")
        #expect(PercentEncoding.encode("a b/ü") == "a%20b%2F%C3%BC")
        #expect(ObjectPath(bucket: "up loads", key: "日/x y").wirePath == "/up%20loads/%E6%97%A5/x%20y")
        #expect(ObjectPath(bucket: nil, key: "").wirePath == "/")
        #expect(ObjectPath(bucket: "b", key: "").wirePath == "/b")
    }
}
