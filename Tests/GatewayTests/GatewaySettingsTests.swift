import Foundation
import Testing

@testable import Gateway

/// Settings: environment overrides and validation that names the field.
struct GatewaySettingsTests {
    static func valid() -> GatewaySettings {
        var settings = GatewaySettings()
        settings.storage.accessKeyId = "key"
        settings.storage.secretAccessKey = "secret"
        return settings
    }

    @Test func awsAndDropgateVariablesOverrideTheFile() throws {
        var settings = Self.valid()
        try settings.applyEnvironment([
            "AWS_ACCESS_KEY_ID": "AKIA1", "AWS_SECRET_ACCESS_KEY": "s3cret", "AWS_SESSION_TOKEN": "tok", "AWS_REGION": "eu-west-1",
            "AWS_ENDPOINT_URL_S3": "http://minio:9000", "DROPGATE_GATEWAY_PORT": "8080", "DROPGATE_STORAGE_PUBLICENDPOINT": "http://localhost:9000",
            "DROPGATE_UPLOADS_ALLOWEDTYPES": "image/*, text/plain", "DROPGATE_AUTH_UPLOADTOKENS": "a,b", "DROPGATE_ENV": "production",
        ])
        #expect(settings.storage.accessKeyId == "AKIA1" && settings.storage.secretAccessKey == "s3cret" && settings.storage.sessionToken == "tok")
        #expect(settings.storage.region == "eu-west-1" && settings.storage.endpoint == "http://minio:9000")
        #expect(settings.gateway.port == 8080 && settings.storage.publicEndpoint == "http://localhost:9000")
        #expect(settings.uploads.allowedTypes == ["image/*", "text/plain"] && settings.auth.uploadTokens == ["a", "b"])
    }

    @Test func unknownOrMistypedVariablesAreNamed() {
        var settings = Self.valid()
        #expect(throws: GatewaySettingsError.self) { try settings.applyEnvironment(["DROPGATE_GATEWAY_PORT": "eighty"]) }
        let error = #expect(throws: GatewaySettingsError.self) { try settings.applyEnvironment(["DROPGATE_NOPE": "1"]) }
        #expect(error?.message.contains("DROPGATE_NOPE") == true)
    }

    /// Valid settings with one field made invalid.
    static func broken(_ field: String) -> GatewaySettings {
        var settings = valid()
        switch field {
        case "gateway.port": settings.gateway.port = 70_000
        case "gateway.publicURL": settings.gateway.publicURL = "localhost"
        case "storage.mode": settings.storage.mode = "cloud"
        case "storage.accessKeyId": settings.storage.accessKeyId = ""
        case "storage.endpoint": settings.storage.mode = "external"
        case "uploads.partSize": settings.uploads.partSize = 1024
        case "uploads.presignExpiry": settings.uploads.presignExpiry = 700_000
        default: settings.storage.sessionTokenExpiresAt = "tomorrow"
        }
        return settings
    }

    @Test(arguments: [
        "gateway.port", "gateway.publicURL", "storage.mode", "storage.accessKeyId", "storage.endpoint", "uploads.partSize", "uploads.presignExpiry",
        "storage.sessionTokenExpiresAt",
    ])
    func invalidSettingsNameTheField(field: String) {
        let error = #expect(throws: GatewaySettingsError.self) { try Self.broken(field).validate() }
        #expect(error?.message.contains(field) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("secret\"") != true)
    }

    @Test func validSettingsPass() throws {
        try Self.valid().validate()
    }
}
