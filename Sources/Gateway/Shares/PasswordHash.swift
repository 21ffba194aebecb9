import Crypto
import Foundation
import HTTPWire
import SigV4
import _CryptoExtras

/// A share password as it is kept: PBKDF2-HMAC-SHA256 (swift-crypto's `_CryptoExtras`) with a random salt, its
/// parameters beside it, so a later gateway can raise the rounds without breaking older shares.
public struct PasswordHash: Codable, Sendable, Hashable {
    public var algorithm: String
    public var rounds: Int
    /// base64url.
    public var salt: String
    /// base64url of the 32-byte derived key.
    public var hash: String

    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    static let defaultRounds = 600_000
    /// The longest password taken; PBKDF2 hashes a longer one first anyway, and this bounds the work per attempt.
    public static let maximumLength = 1_024

    init(hashing password: String, rounds: Int = defaultRounds, random: RandomBytes) throws {
        let salt = random.bytes(16)
        self.algorithm = "pbkdf2-sha256"
        self.rounds = rounds
        self.salt = Base64URL.encode(salt)
        self.hash = Base64URL.encode(try Self.derive(password, salt: salt, rounds: rounds))
    }

    /// Whether `password` is this one, compared in constant time; false for a record this gateway cannot read.
    func matches(_ password: String) -> Bool {
        guard algorithm == "pbkdf2-sha256", (210_000...10_000_000).contains(rounds), password.utf8.count <= Self.maximumLength,
            let salt = Base64URL.decode(salt), let expected = Base64URL.decode(hash),
            let derived = try? Self.derive(password, salt: salt, rounds: rounds)
        else { return false }
        return ConstantTime.equals(derived, expected)
    }

    static func derive(_ password: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}
