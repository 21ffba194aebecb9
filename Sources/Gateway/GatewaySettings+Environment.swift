import Foundation
import SigV4

extension GatewaySettings {
    /// Applies environment overrides: the AWS names for credentials and endpoints, `DROPGATE_*` for the rest.
    ///
    /// | variable | field |
    /// | --- | --- |
    /// | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` | `storage.accessKeyId`, `.secretAccessKey`, `.sessionToken` |
    /// | `AWS_REGION` | `storage.region` |
    /// | `AWS_ENDPOINT_URL_S3` | `storage.endpoint` |
    /// | `AWS_CREDENTIAL_EXPIRATION` | `storage.sessionTokenExpiresAt` |
    /// | `DROPGATE_<SECTION>_<FIELD>` | any other field, e.g. `DROPGATE_GATEWAY_PORT`, `DROPGATE_STORAGE_PUBLICENDPOINT`, `DROPGATE_UPLOADS_MAXBYTES` |
    ///
    /// - Throws: ``GatewaySettingsError`` naming the variable when a value has the wrong type.
    public mutating func applyEnvironment(_ environment: [String: String]) throws {
        let set = environment.filter { !$0.value.isEmpty }
        if let value = set["AWS_ACCESS_KEY_ID"] { storage.accessKeyId = value }
        if let value = set["AWS_SECRET_ACCESS_KEY"] { storage.secretAccessKey = value }
        if let value = set["AWS_SESSION_TOKEN"] { storage.sessionToken = value }
        if let value = set["AWS_REGION"] { storage.region = value }
        if let value = set["AWS_ENDPOINT_URL_S3"] { storage.endpoint = value }
        if let value = set["AWS_CREDENTIAL_EXPIRATION"] { storage.sessionTokenExpiresAt = value }
        for (name, value) in set where name.hasPrefix("DROPGATE_") && name != "DROPGATE_ENV" && name != "DROPGATE_URL" && name != "DROPGATE_TOKEN" {
            try apply(variable: name, value: value)
        }
    }

    private mutating func apply(variable: String, value: String) throws {
        func int(_ text: String) throws -> Int {
            guard let number = Int(text) else { throw GatewaySettingsError("\(variable) must be a whole number; got '\(text)'.") }
            return number
        }
        func list(_ text: String) -> [String] { text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        switch variable.dropFirst("DROPGATE_".count).uppercased() {
        case "GATEWAY_HOST": gateway.host = value
        case "GATEWAY_PORT": gateway.port = try int(value)
        case "GATEWAY_PUBLICURL": gateway.publicURL = value
        case "GATEWAY_SECRET": gateway.secret = value
        case "STORAGE_MODE": storage.mode = value
        case "STORAGE_HOST": storage.host = value
        case "STORAGE_PORT": storage.port = try int(value)
        case "STORAGE_ENDPOINT": storage.endpoint = value
        case "STORAGE_PUBLICENDPOINT": storage.publicEndpoint = value
        case "STORAGE_BUCKET": storage.bucket = value
        case "STORAGE_ADDRESSING": storage.addressing = value
        case "STORAGE_DATADIRECTORY": storage.dataDirectory = value
        case "STORAGE_SESSIONTOKENEXPIRESAT": storage.sessionTokenExpiresAt = value
        case "UPLOADS_MAXBYTES": uploads.maxBytes = Int64(try int(value))
        case "UPLOADS_ALLOWEDTYPES": uploads.allowedTypes = list(value)
        case "UPLOADS_MULTIPARTTHRESHOLD": uploads.multipartThreshold = Int64(try int(value))
        case "UPLOADS_PARTSIZE": uploads.partSize = Int64(try int(value))
        case "UPLOADS_PRESIGNEXPIRY": uploads.presignExpiry = try int(value)
        case "SHARES_DEFAULTEXPIRY": shares.defaultExpiry = try int(value)
        case "SHARES_MAXEXPIRY": shares.maxExpiry = try int(value)
        case "SHARES_LINKEXPIRY": shares.linkExpiry = try int(value)
        case "AUTH_UPLOADTOKENS": auth.uploadTokens = list(value)
        default: throw GatewaySettingsError("\(variable) is not a Dropgate setting (see the settings reference in the README).")
        }
    }

    /// Checks every field; the first problem stops startup with a message that names the field.
    public func validate() throws {
        func fail(_ message: String) -> GatewaySettingsError { GatewaySettingsError(message) }
        guard (0...65_535).contains(gateway.port) else { throw fail("gateway.port must be from 0 to 65535; got \(gateway.port).") }
        guard Self.isHTTPURL(gateway.publicURL) else { throw fail("gateway.publicURL must be an http(s) URL; got '\(gateway.publicURL)'.") }
        guard storage.mode == "embedded" || storage.mode == "external" else {
            throw fail("storage.mode must be \"embedded\" or \"external\"; got \"\(storage.mode)\".")
        }
        guard !storage.accessKeyId.isEmpty else { throw fail("storage.accessKeyId is empty: set it, or AWS_ACCESS_KEY_ID.") }
        guard !storage.secretAccessKey.isEmpty else { throw fail("storage.secretAccessKey is empty: set it, or AWS_SECRET_ACCESS_KEY.") }
        guard !storage.bucket.isEmpty else { throw fail("storage.bucket is empty.") }
        guard storage.addressing == "path" || storage.addressing == "virtual" || storage.addressing == "auto" else {
            throw fail("storage.addressing must be \"path\", \"virtual\" or \"auto\"; got \"\(storage.addressing)\".")
        }
        if storage.mode == "external" {
            guard let endpoint = storage.endpoint ?? storage.publicEndpoint, Self.isHTTPURL(endpoint) else {
                throw fail("storage.endpoint (or AWS_ENDPOINT_URL_S3) must be an http(s) URL when storage.mode is external.")
            }
        } else {
            guard (0...65_535).contains(storage.port) else { throw fail("storage.port must be from 0 to 65535; got \(storage.port).") }
        }
        if let publicEndpoint = storage.publicEndpoint, !Self.isHTTPURL(publicEndpoint) {
            throw fail("storage.publicEndpoint must be an http(s) URL; got '\(publicEndpoint)'.")
        }
        if let expiry = storage.sessionTokenExpiresAt, sessionTokenExpiry == nil {
            throw fail("storage.sessionTokenExpiresAt must be an ISO 8601 time such as 2026-11-29T12:00:00Z; got '\(expiry)'.")
        }
        guard uploads.maxBytes > 0 else { throw fail("uploads.maxBytes must be positive.") }
        guard uploads.partSize >= 5 * 1024 * 1024 else { throw fail("uploads.partSize must be at least 5 MiB (S3's smallest part).") }
        guard uploads.multipartThreshold >= uploads.partSize else { throw fail("uploads.multipartThreshold must be at least uploads.partSize.") }
        guard (1...604_800).contains(uploads.presignExpiry) else { throw fail("uploads.presignExpiry must be from 1 to 604800 seconds (7 days).") }
        guard !uploads.allowedTypes.isEmpty else { throw fail("uploads.allowedTypes is empty: no upload could ever be accepted.") }
        guard shares.minExpiry >= 1, shares.minExpiry <= shares.maxExpiry else { throw fail("shares.minExpiry must be from 1 to shares.maxExpiry.") }
        guard (shares.minExpiry...shares.maxExpiry).contains(shares.defaultExpiry) else {
            throw fail("shares.defaultExpiry must be from shares.minExpiry to shares.maxExpiry.")
        }
        guard (1...604_800).contains(shares.linkExpiry) else { throw fail("shares.linkExpiry must be from 1 to 604800 seconds.") }
    }

    /// When the session token stops working, if known.
    public var sessionTokenExpiry: Date? {
        storage.sessionTokenExpiresAt.flatMap { AmzDate(iso8601: $0)?.date }
    }

    static func isHTTPURL(_ text: String) -> Bool {
        (text.hasPrefix("http://") || text.hasPrefix("https://")) && text.count > 8 && !text.contains(" ")
    }
}
