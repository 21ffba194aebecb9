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
        case "storage.accessKeyId": settings.storage.accessKeyId = ""
        case "storage.endpoint": settings.storage.mode = .external
        case "uploads.partSize": settings.uploads.partSize = 1024
        case "uploads.presignExpiry": settings.uploads.presignExpiry = 700_000
        default: settings.shares.linkExpiry = 0
        }
        return settings
    }

    @Test(arguments: [
        "gateway.port", "gateway.publicURL", "storage.accessKeyId", "storage.endpoint", "uploads.partSize", "uploads.presignExpiry",
        "shares.linkExpiry",
    ])
    func invalidSettingsNameTheField(field: String) {
        let error = #expect(throws: GatewaySettingsError.self) { try Self.broken(field).validate() }
        #expect(error?.message.contains(field) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("secret\"") != true)
    }

    @Test func validSettingsPass() throws {
        try Self.valid().validate()
    }

    @Test(arguments: [
        ("DROPGATE_STORAGE_MODE", "cloud", "storage.mode must be \"embedded\" or \"external\""),
        ("DROPGATE_STORAGE_ADDRESSING", "auto", "storage.addressing must be \"path\" or \"virtual\""),
        ("AWS_CREDENTIAL_EXPIRATION", "tomorrow", "AWS_CREDENTIAL_EXPIRATION must be an ISO 8601 time"),
        ("DROPGATE_SHARES_MINEXPIRY", "0", "shares.minExpiry must be from 1"),
        ("DROPGATE_UPLOADS_MAXFILENAMELENGTH", "many", "DROPGATE_UPLOADS_MAXFILENAMELENGTH must be a whole number"),
    ])
    func badEnvironmentValuesNameTheField(variable: String, value: String, message: String) {
        var settings = Self.valid()
        let error = #expect(throws: GatewaySettingsError.self) { try settings.applyEnvironment([variable: value]) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func everyFieldHasAnEnvironmentVariable() throws {
        var settings = Self.valid()
        try settings.applyEnvironment([
            "DROPGATE_SHARES_MINEXPIRY": "5", "DROPGATE_UPLOADS_MAXFILENAMELENGTH": "100", "AWS_CREDENTIAL_EXPIRATION": "2026-11-29T12:00:00Z",
            "DROPGATE_STORAGE_ADDRESSING": "virtual",
        ])
        #expect(settings.shares.minExpiry == 5 && settings.uploads.maxFilenameLength == 100 && settings.storage.addressing == .virtual)
        #expect(settings.storage.sessionTokenExpiresAt == Date(timeIntervalSince1970: 1_795_953_600))
        #expect(Set(GatewaySettings.fields.map(\.environmentVariable)).count == GatewaySettings.fields.count)
    }

    static func file(_ json: String) throws -> String {
        let path = NSTemporaryDirectory() + "settings-\(UUID().uuidString).json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: [
        (#"{"gatway":{"port":1}}"#, "gatway.port is not a Dropgate setting"),
        (#"{"gateway":{"prot":1}}"#, "gateway.prot is not a Dropgate setting"),
        (#"{"gateway":{"port":"eighty"}}"#, "gateway.port must be a whole number"),
        (#"{"gateway":{"port":80.5}}"#, "gateway.port must be a whole number"),
        (#"{"uploads":{"allowedTypes":"image/*"}}"#, "uploads.allowedTypes must be a list of strings"),
        (#"{"storage":{"mode":"cloud"}}"#, "storage.mode must be"),
        (#"[1]"#, "must hold a JSON object"),
    ])
    func badFilesNameTheField(json: String, message: String) throws {
        let path = try Self.file(json)
        let error = #expect(throws: GatewaySettingsError.self) { _ = try GatewaySettings.load(path: path) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func aFileSetsFieldsAndKeepsDefaults() throws {
        let path = try Self.file(
            #"{"gateway":{"port":8080},"storage":{"mode":"external","endpoint":"http://s3:9000","addressing":"virtual"},"environment":"x"}"#)
        let settings = try GatewaySettings.load(path: path)
        #expect(settings.gateway.port == 8080 && settings.gateway.host == "127.0.0.1" && settings.environment == "x")
        #expect(settings.storage.mode == .external && settings.storage.endpoint == "http://s3:9000" && settings.storage.addressing == .virtual)
    }

    @Test func theReadmeSettingsTableIsTheFieldTable() throws {
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(GatewaySettings.fieldsMarkdown), "run `dropgate reference settings` and paste its table into the README")
    }
}
