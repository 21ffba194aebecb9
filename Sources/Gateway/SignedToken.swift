import Crypto
import DropgateAPI
import EndToEnd
import Foundation
import HTTPWire
import SigV4
import Synchronization

/// A value the gateway hands out and takes back unchanged: `base64url(json).base64url(hmac)`, signed with the
/// gateway's secret under a purpose, so a token of one kind never passes for another and no gateway keeps state.
enum SignedToken {
    /// The longest token any route reads back.
    static let maximumLength = 16 * 1024

    static func seal(_ value: some Encodable, purpose: String, secret: String) -> String {
        seal(json: (try? APIJSON.encode(value)) ?? [], purpose: purpose, secret: secret)
    }

    /// Seals JSON already written (see ``APIJSONWriter``).
    ///
    /// The token is written straight into its one string: the payload's base64url, then the MAC of those very
    /// characters, with no string for either part and no concatenation.
    static func seal(json: [UInt8], purpose: String, secret: String) -> String {
        let keyed = keyed(purpose: purpose, secret: secret)
        let payloadLength = Base64URL.encodedLength(json.count)
        return String(unsafeUninitializedCapacity: payloadLength + 1 + Base64URL.encodedLength(SHA256.byteCount)) { out in
            let payload = json.withUnsafeBufferPointer { Base64URL.write($0, into: out) }
            out[payload] = 0x2E
            let code = keyed.authenticationCode(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: out[..<payload])))
            let tag = code.withUnsafeBytes {
                Base64URL.write($0.assumingMemoryBound(to: UInt8.self), into: UnsafeMutableBufferPointer(rebasing: out[(payload + 1)...]))
            }
            return payload + 1 + tag
        }
    }

    /// The value, when `text` is a token of this purpose signed with `secret`; nil when tampered or malformed.
    static func open<Value: Decodable>(_ type: Value.Type, _ text: String, purpose: String, secret: String) -> Value? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, text.utf8.count < maximumLength, let mac = Base64URL.decode(String(parts[1])) else { return nil }
        guard ConstantTime.equals(mac, Self.mac(String(parts[0]), purpose: purpose, secret: secret)) else { return nil }
        guard let json = Base64URL.decode(String(parts[0])) else { return nil }
        return try? APIJSON.decoder.decode(Value.self, from: Data(json))
    }

    /// HMAC-SHA256 of `purpose:payload` under `secret`.
    static func mac(_ payload: String, purpose: String, secret: String) -> [UInt8] {
        let keyed = keyed(purpose: purpose, secret: secret)
        return payload.withUTF8Bytes { keyed.authenticationCode(bufferPointer: UnsafeRawBufferPointer($0)) }.withUnsafeBytes { Array($0) }
    }

    /// An HMAC keyed with `secret` that has absorbed `purpose:` already, copied for each token (its state is a value,
    /// copied on write), so the key schedule runs once per secret and purpose, not per token.
    private static func keyed(purpose: String, secret: String) -> PrecomputedHMAC {
        // Strings compare by identity first: the settings' one secret and a literal purpose match at once.
        if let known = keyedMACs.withLock({ table in table.first { $0.purpose == purpose && $0.secret == secret }?.mac }) { return known }
        var fresh = PrecomputedHMAC(key: secret)
        Array((purpose + ":").utf8).withUnsafeBytes { fresh.absorb($0) }
        keyedMACs.withLock { table in
            if table.count >= 64 { table.removeAll() }  // a handful of purposes, one secret: only tests make more
            table.append((purpose, secret, fresh))
        }
        return fresh
    }

    private static let keyedMACs = Mutex([(purpose: String, secret: String, mac: PrecomputedHMAC)]())
}
