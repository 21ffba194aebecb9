import Crypto
import DropgateAPI
import Foundation
import HTTPWire
import SigV4

/// A value the gateway hands out and takes back unchanged: `base64url(json).base64url(hmac)`, signed with the
/// gateway's secret under a purpose, so a token of one kind never passes for another and no gateway keeps state.
enum SignedToken {
    /// The longest token any route reads back.
    static let maximumLength = 16 * 1024

    static func seal(_ value: some Encodable, purpose: String, secret: String) -> String {
        let payload = Base64URL.encode((try? APIJSON.encode(value)) ?? [])
        return payload + "." + Base64URL.encode(mac(payload, purpose: purpose, secret: secret))
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
        Array(HMAC<SHA256>.authenticationCode(for: Array("\(purpose):\(payload)".utf8), using: SymmetricKey(data: Array(secret.utf8))))
    }
}
