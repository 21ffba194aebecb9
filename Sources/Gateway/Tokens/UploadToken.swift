import Crypto
import DropgateAPI
import Foundation
import HTTPWire
import SigV4

/// What the gateway promised at `POST /api/uploads`, carried by the client as the upload id and
/// signed with the gateway's secret, so no gateway keeps per-upload state.
public struct UploadToken: Codable, Sendable, Hashable {
    public var key: String
    public var filename: String
    public var size: Int64
    public var contentType: String
    public var sha256: String?
    /// Seconds the share will live once the upload completes.
    public var shareExpiresIn: Int
    public var maxDownloads: Int?
    /// The multipart upload id, when the plan is multipart.
    public var uploadID: String?
    /// The part size of a multipart plan, so fresh part URLs sign the same lengths.
    public var partSize: Int64? = nil
    /// Seconds since 1970 after which the token is refused.
    public var expiresAt: Int64
    /// The fingerprint of the upload token that declared it, when quotas apply.
    public var owner: String? = nil
    /// The record size of an end-to-end encrypted upload; its check looks for the sealed header, not a type.
    public var sealedRecordSize: Int? = nil

    /// The upload id the API hands out (see ``SignedToken``).
    public func encoded(secret: String) -> String { SignedToken.seal(json: jsonBytes(), purpose: "upload", secret: secret) }

    /// The token's JSON as ``APIJSON`` writes it (keys sorted, nil fields left out), written by hand: `JSONEncoder`
    /// was 12% of `POST /api/uploads` (perf, release build), which seals one per declaration.
    func jsonBytes() -> [UInt8] {
        var json = JSONObjectWriter(capacity: 512)
        json.beginObject()
        json.field("contentType", contentType)
        json.field("expiresAt", expiresAt)
        json.field("filename", filename)
        json.field("key", key)
        json.field("maxDownloads", maxDownloads.map(Int64.init))
        json.field("owner", owner)
        json.field("partSize", partSize)
        json.field("sealedRecordSize", sealedRecordSize.map(Int64.init))
        json.field("sha256", sha256)
        json.field("shareExpiresIn", Int64(shareExpiresIn))
        json.field("size", size)
        json.field("uploadID", uploadID)
        json.endObject()
        return json.bytes
    }

    /// Verifies and decodes an upload id; nil when tampered, malformed or expired.
    public static func decode(_ text: String, secret: String, now: Date) -> UploadToken? {
        guard let token = SignedToken.open(UploadToken.self, text, purpose: "upload", secret: secret), token.isWellFormed else { return nil }
        return Int64(now.timeIntervalSince1970) <= token.expiresAt ? token : nil
    }

    /// The longest share lifetime any token may carry (100 years), whatever the settings.
    static let maximumShareLifetime = 100 * 365 * 86_400

    /// Every field in range, and the key one that ``ObjectKey/make(filename:date:)`` could have made: a token is
    /// signed, but a leaked or weak secret must still never name a share record or overflow arithmetic.
    var isWellFormed: Bool {
        guard ObjectKey.isUploadKey(key), (0...(Int64(1) << 50)).contains(size), (1...Self.maximumShareLifetime).contains(shareExpiresIn),
            (maxDownloads ?? 1) >= 1, !filename.isEmpty, filename.utf8.count <= 1_024, contentType.utf8.count <= 200
        else { return false }
        if let partSize, !((5 << 20)...(5 << 30)).contains(partSize) { return false }
        if let uploadID, uploadID.isEmpty || uploadID.utf8.count > 1_024 || !uploadID.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            return false
        }
        return true
    }
}

/// Delete tokens: `HMAC(secret, "delete:" + shareID)`, so they need no storage either.
enum DeleteToken {
    static func make(shareID: String, secret: String) -> String {
        Base64URL.encode(Array(HMAC<SHA256>.authenticationCode(for: Array("delete:\(shareID)".utf8), using: SymmetricKey(data: Array(secret.utf8)))))
    }

    static func verify(_ token: String, shareID: String, secret: String) -> Bool {
        ConstantTime.equals(Array(token.utf8), Array(make(shareID: shareID, secret: secret).utf8))
    }
}

extension Base64URL {
    /// `count` random bytes as base64url: 16 bytes give 128 bits in 22 characters.
    static func random(bytes count: Int, from source: RandomBytes = .system) -> String { encode(source.bytes(count)) }
}
