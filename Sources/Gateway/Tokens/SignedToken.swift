import Crypto
import DropgateAPI
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

    /// Seals JSON already written (an upload id's, see ``UploadToken/jsonBytes()``).
    static func seal(json: [UInt8], purpose: String, secret: String) -> String {
        var token = Base64URL.encode(json)
        let tag = Base64URL.encode(mac(token, purpose: purpose, secret: secret))
        token.reserveCapacity(token.utf8.count + 1 + tag.utf8.count)
        token += "."
        token += tag
        return token
    }

    /// The value, when `text` is a token of this purpose signed with `secret`; nil when tampered or malformed.
    static func open<Value: Decodable>(_ type: Value.Type, _ text: String, purpose: String, secret: String) -> Value? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, text.utf8.count < maximumLength, let mac = Base64URL.decode(String(parts[1])) else { return nil }
        guard ConstantTime.equals(mac, Self.mac(String(parts[0]), purpose: purpose, secret: secret)) else { return nil }
        guard let json = Base64URL.decode(String(parts[0])) else { return nil }
        return try? APIJSON.decode(Value.self, from: json)
    }

    /// HMAC-SHA256 of `purpose:payload` under `secret`.
    static func mac(_ payload: String, purpose: String, secret: String) -> [UInt8] {
        Array(keyed(purpose: purpose, secret: secret).authenticationCode(for: payload))
    }

    /// An HMAC keyed with `secret` that has absorbed `purpose:` already, so the key schedule runs once per secret and
    /// purpose, not per token: on `POST /api/uploads` it was 8% of the endpoint (measured with perf, release build).
    private static func keyed(purpose: String, secret: String) -> PrecomputedHMAC {
        if let known = keyedMACs.withLock({ table in table.first { $0.purpose == purpose && $0.secret == secret }?.mac }) { return known }
        var fresh = PrecomputedHMAC(key: secret)
        fresh.absorb(Array((purpose + ":").utf8))
        keyedMACs.withLock { table in
            if table.count >= 64 { table.removeAll() }  // a handful of purposes, one secret: only tests make more
            table.append((purpose, secret, fresh))
        }
        return fresh
    }

    private static let keyedMACs = Mutex([(purpose: String, secret: String, mac: PrecomputedHMAC)]())
}
