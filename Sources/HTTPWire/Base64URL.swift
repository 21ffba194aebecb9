import Foundation

/// URL-safe base64 without padding (RFC 4648 §5): share keys in links, and the gateway's tokens and ids.
public enum Base64URL {
    /// The base64url of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String { encode(Array(bytes)) }

    /// The base64url of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { input in
            String(unsafeUninitializedCapacity: encodedLength(input.count)) { write(input, into: $0) }
        }
    }

    /// How many characters the base64url of `count` bytes has.
    public static func encodedLength(_ count: Int) -> Int { (count * 4 + 2) / 3 }

    /// Writes the base64url of `input` into `out`, which has room for ``encodedLength(_:)`` characters, and returns
    /// how many it wrote: for callers that build a longer string in place.
    public static func write(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(out.count >= encodedLength(input.count), "Base64URL.write: no room")
        return alphabet.withUnsafeBufferPointer { alphabet in
            var written = 0
            func put(_ sextet: UInt32) {
                out[written] = alphabet[Int(sextet & 63)]
                written += 1
            }
            var index = 0
            while index + 3 <= input.count {
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                put(group >> 18)
                put(group >> 12)
                put(group >> 6)
                put(group)
                index += 3
            }
            switch input.count - index {
            case 1:
                let group = UInt32(input[index]) << 16
                put(group >> 18)
                put(group >> 12)
            case 2:
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                put(group >> 18)
                put(group >> 12)
                put(group >> 6)
            default: break
            }
            return written
        }
    }

    /// The 64 characters of base64url (RFC 4648 section 5).
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The bytes of base64url text (padding optional); nil for any other character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: bytes.append(byte)
            case 0x2D: bytes.append(0x2B)  // - -> +
            case 0x5F: bytes.append(0x2F)  // _ -> /
            default: return nil
            }
        }
        while bytes.count % 4 != 0 { bytes.append(0x3D) }
        return Data(base64Encoded: Data(bytes)).map(Array.init)
    }
}
