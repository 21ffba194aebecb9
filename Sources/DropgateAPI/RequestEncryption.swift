import Foundation

/// A file request's owner's public key (`docs/encryption.md`, "Encrypted to a request's owner").
public struct OwnerPublicKey: Codable, Sendable, Hashable {
    /// `X25519`, or `P-256` (ECDH) where the owner's browser lacks X25519.
    public var alg: String
    /// base64url of the raw key: 32 bytes for X25519, the 65-byte uncompressed point for P-256.
    public var key: String

    public init(alg: String, key: String) {
        self.alg = alg
        self.key = key
    }

    public static let shape = StrictJSON.Shape.object(["alg": .value, "key": .value])
}

/// `encryption` of `POST /api/requests`: senders encrypt every file, and wrap each submission's key, to this public
/// key. The gateway keeps the owner's private key only sealed with a passphrase it never sees, when the owner's browser
/// gives it (the CLI keeps its own, at mode 0600).
public struct RequestEncryption: Codable, Sendable, Hashable {
    public var publicKey: OwnerPublicKey
    /// The owner's PKCS #8 private key, sealed with PBKDF2 of a passphrase and AES-256-GCM.
    public var sealedPrivateKey: WrappedKey?

    public init(publicKey: OwnerPublicKey, sealedPrivateKey: WrappedKey? = nil) {
        self.publicKey = publicKey
        self.sealedPrivateKey = sealedPrivateKey
    }

    public static let shape = StrictJSON.Shape.object([
        "publicKey": OwnerPublicKey.shape,
        "sealedPrivateKey": .object(["salt": .value, "iterations": .value, "nonce": .value, "wrapped": .value]),
    ])
}

/// A submission's share key wrapped to the request's owner: ECDH with a fresh key pair, HKDF-SHA256, AES-256-GCM.
public struct OwnerWrappedKey: Codable, Sendable, Hashable {
    public var alg: String
    /// base64url of the sender's one-time public key.
    public var ephemeral: String
    public var nonce: String
    /// base64url of the 32-byte key's ciphertext and tag (48 bytes).
    public var wrapped: String

    public init(alg: String, ephemeral: String, nonce: String, wrapped: String) {
        self.alg = alg
        self.ephemeral = ephemeral
        self.nonce = nonce
        self.wrapped = wrapped
    }

    public static let shape = StrictJSON.Shape.object(["alg": .value, "ephemeral": .value, "nonce": .value, "wrapped": .value])
}
