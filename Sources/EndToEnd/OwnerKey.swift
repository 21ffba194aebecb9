import Crypto
import DropgateAPI
import Foundation
import HTTPWire
import _CryptoExtras

/// A file request owner's key pair (`docs/encryption.md`, "Encrypted to a request's owner"): X25519, or P-256 ECDH
/// for requests made where WebCrypto lacks X25519. Senders wrap each submission's share key to its public half.
public struct OwnerKey: Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case x25519 = "X25519"
        case p256 = "P-256"
    }

    enum Secret: Sendable {
        case x25519(Curve25519.KeyAgreement.PrivateKey)
        case p256(P256.KeyAgreement.PrivateKey)
    }

    let secret: Secret

    public var algorithm: Algorithm {
        switch secret {
        case .x25519: .x25519
        case .p256: .p256
        }
    }

    /// A new key pair.
    public static func generate(_ algorithm: Algorithm = .x25519) -> OwnerKey {
        switch algorithm {
        case .x25519: OwnerKey(secret: .x25519(Curve25519.KeyAgreement.PrivateKey()))
        case .p256: OwnerKey(secret: .p256(P256.KeyAgreement.PrivateKey()))
        }
    }

    /// RFC 8410's PKCS #8 of an X25519 key, up to the 32 key bytes.
    static let x25519PKCS8Prefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x6E, 0x04, 0x22, 0x04, 0x20]

    /// A private key from its PKCS #8 DER (as WebCrypto, OpenSSL and ``pkcs8`` write it).
    public init(pkcs8 bytes: [UInt8]) throws {
        if bytes.count == 48, Array(bytes.prefix(16)) == Self.x25519PKCS8Prefix {
            secret = .x25519(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes.suffix(32)))
        } else if bytes.count <= 512, let key = try? P256.KeyAgreement.PrivateKey(derRepresentation: bytes) {
            secret = .p256(key)
        } else {
            throw OwnerKeyError.unreadable
        }
    }

    init(secret: Secret) { self.secret = secret }

    /// The private key as PKCS #8 DER.
    public var pkcs8: [UInt8] {
        switch secret {
        case .x25519(let key): Self.x25519PKCS8Prefix + Array(key.rawRepresentation)
        case .p256(let key): Array(key.derRepresentation)
        }
    }

    /// The public key's raw bytes: 32 for X25519, the 65-byte uncompressed point for P-256.
    public var publicRaw: [UInt8] {
        switch secret {
        case .x25519(let key): Array(key.publicKey.rawRepresentation)
        case .p256(let key): Array(key.publicKey.x963Representation)
        }
    }

    public var publicKey: OwnerPublicKey { OwnerPublicKey(alg: algorithm.rawValue, key: Base64URL.encode(publicRaw)) }

    /// ECDH with another public key of the same curve (X25519's output, or P-256's x coordinate).
    func sharedSecret(with publicRaw: [UInt8]) throws -> SharedSecret {
        switch secret {
        case .x25519(let key):
            guard let other = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: publicRaw) else { throw OwnerKeyError.unreadable }
            return try key.sharedSecretFromKeyAgreement(with: other)
        case .p256(let key):
            guard let other = try? P256.KeyAgreement.PublicKey(x963Representation: publicRaw) else { throw OwnerKeyError.unreadable }
            return try key.sharedSecretFromKeyAgreement(with: other)
        }
    }

    /// The owner's private key sealed with a passphrase (the page keeps it so at the gateway): PBKDF2-HMAC-SHA256 then
    /// AES-256-GCM over the PKCS #8, with the additional data `DGE1 owner key`.
    public init(sealed: WrappedKey, passphrase: String) throws {
        guard WrappedKey.iterationRange.contains(sealed.iterations), let salt = Base64URL.decode(sealed.salt), salt.count == 16,
            let nonce = Base64URL.decode(sealed.nonce), nonce.count == 12, let wrapped = Base64URL.decode(sealed.wrapped),
            (17...528).contains(wrapped.count)
        else { throw OwnerKeyError.unreadable }
        let derived = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(passphrase.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: sealed.iterations)
        let plaintext: Data
        do {
            let box = try AES.GCM.SealedBox(
                nonce: try AES.GCM.Nonce(data: nonce), ciphertext: wrapped.dropLast(16), tag: wrapped.suffix(16))
            plaintext = try AES.GCM.open(box, using: derived, authenticating: Array("DGE1 owner key".utf8))
        } catch {
            throw OwnerKeyError.wrongPassphrase
        }
        try self.init(pkcs8: Array(plaintext))
    }
}

public enum OwnerKeyError: Error, Equatable, CustomStringConvertible {
    case wrongKey
    case wrongPassphrase
    case unreadable

    public var description: String {
        switch self {
        case .wrongKey: "This key does not open this submission: it was encrypted to another key."
        case .wrongPassphrase: "That passphrase does not open this request's key."
        case .unreadable: "The key is not one this dropgate reads (X25519 or P-256, as docs/encryption.md says)."
        }
    }
}
