import Crypto
import DropgateAPI
import Foundation
import HTTPWire

/// A submission's share key wrapped to a request's owner (`docs/encryption.md`): the sender makes a one-time key pair
/// of the owner's curve; `Z = ECDH(ephemeral, owner)`; `KEK = HKDF-SHA256(Z, salt: ephemeral ‖ owner, info:
/// "DGE1 request key")`; the wrap is AES-256-GCM of the share key under `KEK`, with a random nonce and the same
/// additional data. A fresh key pair per wrap means no KEK ever seals twice.
public enum OwnerKeyWrap {
    static let info = Array("DGE1 request key".utf8)

    /// Wraps `key` to `owner`; `ephemeral` and `nonce` only for the test vectors.
    public static func wrap(_ key: SymmetricKey, to owner: OwnerPublicKey, ephemeral: OwnerKey? = nil, nonce: [UInt8]? = nil) throws
        -> OwnerWrappedKey
    {
        let ownerRaw = try OwnerFragment.publicRaw(owner)
        guard let algorithm = OwnerKey.Algorithm(rawValue: owner.alg) else { throw OwnerKeyError.unreadable }
        let ephemeral = ephemeral ?? OwnerKey.generate(algorithm)
        guard ephemeral.algorithm == algorithm else { throw OwnerKeyError.unreadable }
        let kek = try keyEncryptionKey(ephemeral.sharedSecret(with: ownerRaw), ephemeral: ephemeral.publicRaw, owner: ownerRaw)
        let nonceBytes = nonce ?? Array(AES.GCM.Nonce())
        let box = try AES.GCM.seal(
            key.withUnsafeBytes { Array($0) }, using: kek, nonce: try AES.GCM.Nonce(data: nonceBytes), authenticating: info)
        return OwnerWrappedKey(
            alg: algorithm.rawValue, ephemeral: Base64URL.encode(ephemeral.publicRaw), nonce: Base64URL.encode(nonceBytes),
            wrapped: Base64URL.encode(Array(box.ciphertext) + Array(box.tag)))
    }

    /// The share key, when the wrap was made to `owner`; ``OwnerKeyError/wrongKey`` in plain words when not.
    public static func unwrap(_ wrap: OwnerWrappedKey, with owner: OwnerKey) throws -> SymmetricKey {
        guard wrap.alg == owner.algorithm.rawValue else { throw OwnerKeyError.wrongKey }
        guard let ephemeral = Base64URL.decode(wrap.ephemeral), let nonce = Base64URL.decode(wrap.nonce), nonce.count == 12,
            let wrapped = Base64URL.decode(wrap.wrapped), wrapped.count == 48
        else { throw OwnerKeyError.unreadable }
        let kek = try keyEncryptionKey(owner.sharedSecret(with: ephemeral), ephemeral: ephemeral, owner: owner.publicRaw)
        do {
            let box = try AES.GCM.SealedBox(nonce: try AES.GCM.Nonce(data: nonce), ciphertext: wrapped.prefix(32), tag: wrapped.suffix(16))
            return SymmetricKey(data: try AES.GCM.open(box, using: kek, authenticating: info))
        } catch {
            throw OwnerKeyError.wrongKey
        }
    }

    static func keyEncryptionKey(_ shared: SharedSecret, ephemeral: [UInt8], owner: [UInt8]) -> SymmetricKey {
        shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: ephemeral + owner, sharedInfo: info, outputByteCount: 32)
    }
}

/// The owner's public key as a request link's fragment carries it (`#pk=X25519.<base64url>`), and its fingerprint.
public enum OwnerFragment {
    /// The raw bytes of a public key, checked: 32 for X25519, a point on the curve for P-256.
    public static func publicRaw(_ key: OwnerPublicKey) throws -> [UInt8] {
        guard let raw = Base64URL.decode(key.key) else { throw OwnerKeyError.unreadable }
        switch OwnerKey.Algorithm(rawValue: key.alg) {
        case .x25519: guard raw.count == 32 else { throw OwnerKeyError.unreadable }
        case .p256: guard raw.count == 65, (try? P256.KeyAgreement.PublicKey(x963Representation: raw)) != nil else { throw OwnerKeyError.unreadable }
        case nil: throw OwnerKeyError.unreadable
        }
        return raw
    }

    public static func fragment(_ key: OwnerPublicKey) -> String { "pk=\(key.alg).\(key.key)" }

    /// The owner's key in a link's fragment (`…#pk=X25519.…`), if it carries a well-formed one.
    public static func parse(link: String) -> OwnerPublicKey? {
        guard let hash = link.firstIndex(of: "#") else { return nil }
        let fragment = link[link.index(after: hash)...]
        guard fragment.hasPrefix("pk="), let dot = fragment.firstIndex(of: ".") else { return nil }
        let key = OwnerPublicKey(
            alg: String(fragment[fragment.index(fragment.startIndex, offsetBy: 3)..<dot]), key: String(fragment[fragment.index(after: dot)...]))
        return (try? publicRaw(key)) == nil ? nil : key
    }

    /// What the owner and a sender compare: 16 bytes of SHA-256 over `DGE1 owner key`, the algorithm and the key, in
    /// hex groups of four.
    public static func fingerprint(_ key: OwnerPublicKey) throws -> String {
        let raw = try publicRaw(key)
        let digest = SHA256.hash(data: Array("DGE1 owner key\u{0}\(key.alg)\u{0}".utf8) + raw)
        let hex = Hex.string(Array(digest.prefix(16)))
        return stride(from: 0, to: hex.count, by: 4).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return String(hex[start..<hex.index(start, offsetBy: 4)])
        }.joined(separator: " ")
    }
}
