import Crypto
import DropgateAPI
import Foundation
import HTTPWire
import _CryptoExtras

/// A share key wrapped with a password (`docs/encryption.md`, "With a password"): PBKDF2 gives a wrapping key and, as
/// its other half, the access secret the gateway guards the share with; the gateway never sees the wrapping key. The
/// wire type is the API's ``WrappedKey``, which the gateway keeps and never opens.
public typealias KeyWrap = WrappedKey

extension WrappedKey {
    public static let defaultIterations = 600_000
    /// The counts a reader takes: enough to slow guesses, bounded so a hostile share cannot stall the reader.
    public static let iterationRange = 100_000...10_000_000
    static let associatedData = Array("DGE1 key".utf8)

    /// The two halves PBKDF2-HMAC-SHA256 gives for a password: the wrapping key and the access secret.
    public static func derive(password: String, salt: [UInt8], iterations: Int) throws -> (wrapKey: SymmetricKey, access: [UInt8]) {
        guard iterationRange.contains(iterations) else { throw KeyWrapError.unreadable }
        let derived = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 64, unsafeUncheckedRounds: iterations)
        let bytes = derived.withUnsafeBytes { Array($0) }
        return (SymmetricKey(data: bytes[0..<32]), Array(bytes[32..<64]))
    }

    /// Wraps `key` with `password`; also returns the access secret to create the share with.
    public static func wrap(_ key: SymmetricKey, password: String, salt: [UInt8]? = nil, nonce: [UInt8]? = nil, iterations: Int = defaultIterations)
        throws -> (wrap: KeyWrap, access: [UInt8])
    {
        let salt = salt ?? Array(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) })
        let nonceBytes = nonce ?? Array(AES.GCM.Nonce())
        let (wrapKey, access) = try derive(password: password, salt: salt, iterations: iterations)
        let box = try AES.GCM.seal(
            key.withUnsafeBytes { Array($0) }, using: wrapKey, nonce: try AES.GCM.Nonce(data: nonceBytes), authenticating: associatedData)
        return (
            KeyWrap(
                salt: Base64URL.encode(salt), iterations: iterations, nonce: Base64URL.encode(nonceBytes),
                wrapped: Base64URL.encode(Array(box.ciphertext) + Array(box.tag))),
            access
        )
    }

    /// The share key, when `password` is the one it was wrapped with; also the access secret that unlocks the share.
    public func unwrap(password: String) throws -> (key: SymmetricKey, access: [UInt8]) {
        guard let salt = Base64URL.decode(salt), salt.count == 16, let nonce = Base64URL.decode(nonce), nonce.count == 12,
            let wrapped = Base64URL.decode(wrapped), wrapped.count == 48
        else { throw KeyWrapError.unreadable }
        let (wrapKey, access) = try Self.derive(password: password, salt: salt, iterations: iterations)
        do {
            let box = try AES.GCM.SealedBox(nonce: try AES.GCM.Nonce(data: nonce), ciphertext: wrapped[0..<32], tag: wrapped[32..<48])
            return (SymmetricKey(data: try AES.GCM.open(box, using: wrapKey, authenticating: Self.associatedData)), access)
        } catch {
            throw KeyWrapError.wrongPassword
        }
    }
}

public enum KeyWrapError: Error, Equatable, CustomStringConvertible {
    case wrongPassword
    case unreadable

    public var description: String {
        switch self {
        case .wrongPassword: "That password does not open this share."
        case .unreadable: "The share's key wrap is not one this dropgate reads."
        }
    }
}

/// A share key as the link's fragment carries it: `#k=<base64url of 32 bytes>`.
public enum ShareKey {
    public static func random() -> SymmetricKey { SymmetricKey(size: .bits256) }

    public static func fragment(_ key: SymmetricKey) -> String { "k=" + Base64URL.encode(key.withUnsafeBytes { Array($0) }) }

    /// The fragment of an encrypted share whose key is wrapped with its password: `#p`. It carries no secret; it tells
    /// a client that the share is encrypted, so the client never sends the password itself, only PBKDF2's access half,
    /// whatever a gateway says (a gateway that leaves out the salt must not learn the password).
    public static let passwordWrapped = "p"

    /// Whether a link's fragment is ``passwordWrapped``.
    public static func isPasswordWrapped(link: String) -> Bool {
        guard let hash = link.firstIndex(of: "#") else { return false }
        return link[link.index(after: hash)...] == passwordWrapped
    }

    /// The key in a link's fragment (`…#k=…`), if it has one.
    public static func parse(link: String) -> SymmetricKey? {
        guard let hash = link.firstIndex(of: "#") else { return nil }
        let fragment = link[link.index(after: hash)...]
        guard fragment.hasPrefix("k="), let bytes = Base64URL.decode(fragment.dropFirst(2)), bytes.count == 32 else { return nil }
        return SymmetricKey(data: bytes)
    }
}
