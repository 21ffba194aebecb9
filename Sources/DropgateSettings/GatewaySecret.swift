import Foundation
import Glibc
import HTTPWire

/// The secret that signs upload ids and delete tokens. It is never derived from the storage secret (which the
/// committed development and docker settings make public): production must set one that is strong, and every
/// other environment gets a random one kept in the data folder (mode 0600), so restarts keep ids valid.
public enum GatewaySecret {
    /// The storage credentials committed in this repository's development and docker settings.
    static let developmentCredentials: Set<String> = ["dropgate-dev-key", "dropgate-dev-secret-do-not-use-in-production"]

    /// Words that mark a placeholder rather than a secret.
    static let placeholderWords = ["secret", "change", "example", "placeholder", "password", "dropgate", "replace", "your", "instead"]

    /// Why `secret` is too weak for production, or nil. Strong means at least 32 bytes, no whitespace, at least 16
    /// distinct characters, no placeholder word, and at least 256 bits by its characters' classes (64 hex digits or
    /// `openssl rand -base64 32` pass).
    public static func weakness(of secret: String) -> String? {
        let bytes = Array(secret.utf8)
        guard bytes.count >= 32 else { return "it is \(bytes.count) bytes; at least 32 random bytes are needed" }
        guard !bytes.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            return "it contains spaces: it reads as a sentence"
        }
        guard Set(bytes).count >= 16 else { return "it has fewer than 16 distinct characters" }
        let lowered = secret.lowercased()
        if let word = placeholderWords.first(where: { lowered.contains($0) }) { return "it contains the word '\(word)': it reads as a placeholder" }
        var alphabet = 0
        if bytes.contains(where: { (0x30...0x39).contains($0) }) { alphabet += 10 }
        if bytes.contains(where: { (0x61...0x7A).contains($0) }) { alphabet += 26 }
        if bytes.contains(where: { (0x41...0x5A).contains($0) }) { alphabet += 26 }
        if bytes.contains(where: { !(0x30...0x39).contains($0) && !(0x61...0x7A).contains($0) && !(0x41...0x5A).contains($0) }) { alphabet += 32 }
        let bits = Double(bytes.count) * log2(Double(max(alphabet, 2)))
        return bits >= 256 ? nil : "it holds about \(Int(bits)) bits; 256 are needed"
    }

    /// The problems of production settings, naming the field; nil when there are none.
    static func productionProblem(_ settings: GatewaySettings) -> String? {
        guard let secret = settings.gateway.secret, !secret.isEmpty else {
            return "gateway.secret must be set in production (DROPGATE_GATEWAY_SECRET): 32 random bytes, for example `openssl rand -base64 32`."
        }
        if let weakness = weakness(of: secret) {
            return "gateway.secret is too weak for production: \(weakness). Use `openssl rand -base64 32`."
        }
        if developmentCredentials.contains(settings.storage.accessKeyId) || developmentCredentials.contains(settings.storage.secretAccessKey) {
            return "storage.secretAccessKey is the development key committed with Dropgate; production needs credentials of its own."
        }
        return nil
    }

    /// The configured secret, or the one kept in `folder/gateway-secret` (created with 32 random bytes on first use).
    public static func resolve(_ settings: GatewaySettings, folder: String) throws(GatewaySettingsError) -> String {
        if let secret = settings.gateway.secret, !secret.isEmpty { return secret }
        let path = folder + "/gateway-secret"
        if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing.utf8.count >= 32 {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw GatewaySettingsError("gateway.secret is not set and \(folder) cannot hold a generated one: \(error.localizedDescription)")
        }
        let fresh = Self.fresh()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            // Another gateway made it first: use theirs.
            if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing.utf8.count >= 32 { return existing }
            throw GatewaySettingsError("gateway.secret is not set and \(path) cannot be created: \(String(cString: strerror(errno))).")
        }
        defer { close(fd) }
        do {
            try FileHandle(fileDescriptor: fd, closeOnDealloc: false).write(contentsOf: Array(fresh.utf8))
        } catch {
            throw GatewaySettingsError("gateway.secret: writing \(path) failed: \(error.localizedDescription)")
        }
        guard fsync(fd) == 0 else { throw GatewaySettingsError("gateway.secret: writing \(path) failed.") }
        return fresh
    }

    /// 32 bytes from the system's generator, as base64url.
    static func fresh() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
