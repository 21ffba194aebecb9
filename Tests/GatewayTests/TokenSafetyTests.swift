import DropgateAPI
import Foundation
import Testing

@testable import Gateway

/// Tokens and records are checked in full: a forged or corrupt one is refused, never trusted, never a crash.
struct TokenSafetyTests {
    static let secret = "harness-gateway-secret-0123456789abcdef"

    static func token(key: String = "uploads/2026/12/AAAAAAAAAAAAAAAAAAAAAA/a.txt", size: Int64 = 3, expiresIn: Int = 60, maxDownloads: Int? = nil)
        -> UploadToken
    {
        UploadToken(
            key: key, filename: "a.txt", size: size, contentType: "text/plain", sha256: nil, shareExpiresIn: expiresIn, maxDownloads: maxDownloads,
            uploadID: nil, expiresAt: 4_000_000_000)
    }

    @Test(arguments: [
        ("a share record's key", token(key: ".dropgate/shares/AAAAAAAAAAAAAAAAAAAAAA.json")),
        ("a key outside uploads/", token(key: "other/2026/12/AAAAAAAAAAAAAAAAAAAAAA/a.txt")),
        ("a key with ..", token(key: "uploads/2026/12/AAAAAAAAAAAAAAAAAAAAAA/../x")),
        ("a lifetime that overflows", token(expiresIn: Int.max)),
        ("a negative size", token(size: -1)),
        ("zero downloads", token(maxDownloads: 0)),
    ])
    func aForgedTokenIsRefusedWithoutHarm(name: String, forged: UploadToken) throws {
        let harness = try GatewayHarness()
        let victim = try harness.share("victim.txt", Array("keep".utf8))
        let answer = try harness.call("POST", "/api/uploads/\(forged.encoded(secret: Self.secret))/complete")
        #expect(answer.status == 404 && answer.errorCode == .unknownUpload, "\(name): \(answer.text)")
        #expect(try harness.call("GET", "/s/\(victim.share.id)").status == 200)
    }

    @Test func aWellFormedTokenStillWorks() {
        #expect(Self.token().isWellFormed)
        #expect(UploadToken.decode(Self.token().encoded(secret: Self.secret), secret: Self.secret, now: Date(timeIntervalSince1970: 0)) != nil)
    }
}

/// The signing secret: strong in production, generated and kept elsewhere, never derived from the storage secret.
struct GatewaySecretTests {
    @Test(arguments: [
        ("", false), ("short", false), ("set DROPGATE_GATEWAY_SECRET instead of writing it here", false),
        (String(repeating: "ab", count: 32), false), ("change-me-change-me-change-me-change-me-00", false),
        ("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", true),  // openssl rand -hex 32
        ("q8Xv1mZs0N4bT7yR2cE9wK5jH3gL6pA1dF8uV0iO2sY=", true),  // openssl rand -base64 32
    ])
    func productionSecretsMustBeStrong(secret: String, accepted: Bool) {
        var settings = GatewaySettingsTests.valid()
        settings.environment = "production"
        settings.gateway.secret = secret.isEmpty ? nil : secret
        var refusal: String?
        do { try settings.validate() } catch { refusal = error.message }
        #expect((refusal == nil) == accepted, "\(secret): \(refusal ?? "accepted")")
        if let refusal { #expect(refusal.contains("gateway.secret") && !refusal.contains(secret) || secret.isEmpty) }
    }

    @Test func productionRefusesTheCommittedDevelopmentKeys() throws {
        var settings = GatewaySettingsTests.valid()
        settings.environment = "production"
        settings.gateway.secret = "q8Xv1mZs0N4bT7yR2cE9wK5jH3gL6pA1dF8uV0iO2sY="
        try settings.validate()
        settings.storage.secretAccessKey = "dropgate-dev-secret-do-not-use-in-production"
        let error = #expect(throws: GatewaySettingsError.self) { try settings.validate() }
        #expect(error?.message.contains("storage.secretAccessKey") == true)
        #expect(error?.message.contains("do-not-use") == false)
    }

    @Test func theCommittedProductionExampleIsRefusedUntilASecretIsSet() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var settings = try GatewaySettings.load(path: root.appendingPathComponent("settings-production.example.json").path)
        settings.storage.accessKeyId = "AKIAEXAMPLE"
        settings.storage.secretAccessKey = "real-looking-secret"
        let error = #expect(throws: GatewaySettingsError.self) { try settings.validate() }
        #expect(error?.message.contains("gateway.secret") == true)
    }

    @Test func aGeneratedSecretIsKeptPrivateAndReused() throws {
        let folder = NSTemporaryDirectory() + "secret-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var settings = GatewaySettingsTests.valid()
        settings.storage.secretAccessKey = "the-storage-secret"
        let first = try GatewaySecret.resolve(settings, folder: folder)
        #expect(first.utf8.count >= 43 && !first.contains("the-storage-secret"))
        #expect(try GatewaySecret.resolve(settings, folder: folder) == first)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/gateway-secret")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        settings.gateway.secret = "configured"
        #expect(try GatewaySecret.resolve(settings, folder: folder) == "configured")
    }
}

/// clamd addresses and the scan settings.
struct ClamdSettingsTests {
    @Test(arguments: [
        ("tcp://127.0.0.1:3310", true), ("unix:/run/clamav/clamd.ctl", true), ("tcp://host", false), ("unix:relative", false), ("http://x:1", false),
        ("tcp://:3310", false),
    ])
    func addressesAreParsed(address: String, valid: Bool) {
        #expect((ClamdScanner(address) != nil) == valid)
    }

    @Test func scanSettingsComeFromTheFileAndTheEnvironment() throws {
        let path = try GatewaySettingsTests.file(#"{"uploads":{"scan":{"clamd":"tcp://127.0.0.1:3310","failOpen":true}}}"#)
        var settings = try GatewaySettings.load(path: path)
        #expect(settings.uploads.scan.clamd == "tcp://127.0.0.1:3310" && settings.uploads.scan.failOpen)
        try settings.applyEnvironment(["DROPGATE_UPLOADS_SCAN_FAILOPEN": "false"])
        #expect(!settings.uploads.scan.failOpen)
        let error = #expect(throws: GatewaySettingsError.self) { try settings.applyEnvironment(["DROPGATE_UPLOADS_SCAN_CLAMD": "localhost"]) }
        #expect(error?.message.contains("uploads.scan.clamd") == true)
    }
}
