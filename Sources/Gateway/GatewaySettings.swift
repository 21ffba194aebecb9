import Foundation

/// Everything the gateway is configured with; read from `settings-<environment>.json`.
public struct GatewaySettings: Codable, Sendable {
    public struct Server: Codable, Sendable {
        public var host = "127.0.0.1"
        public var port = 5001
        /// The URL people use to reach the gateway (share links are built on it).
        public var publicURL = "http://localhost:5001"
        /// Signs upload tokens and delete tokens; when absent it is derived from the storage secret,
        /// so every gateway instance with the same settings agrees.
        public var secret: String?
    }

    public struct Storage: Codable, Sendable {
        /// `embedded` (the gateway starts its own store) or `external` (any S3-compatible endpoint).
        public var mode = "embedded"
        /// Embedded store: where it listens.
        public var host = "127.0.0.1"
        public var port = 5002
        /// External store: the endpoint the gateway itself uses (default: the public one).
        public var endpoint: String?
        /// The endpoint browsers and curl reach; presigned URLs are signed for it.
        public var publicEndpoint: String?
        public var region = "us-east-1"
        public var bucket = "dropgate"
        public var accessKeyId = ""
        public var secretAccessKey = ""
        public var sessionToken: String?
        /// When the session token expires (ISO 8601); presigned URLs never outlive it.
        public var sessionTokenExpiresAt: String?
        /// `path` or `virtual`.
        public var addressing = "path"
        /// Embedded store: its data folder.
        public var dataDirectory = ".dropgate/data"
    }

    public struct Uploads: Codable, Sendable {
        public var maxBytes: Int64 = 5 * 1024 * 1024 * 1024
        /// Allowed Content-Types; `image/*` matches a family, `*/*` anything.
        public var allowedTypes = [
            "image/*", "video/*", "audio/*", "text/plain", "text/csv", "application/pdf", "application/zip", "application/json",
            "application/octet-stream",
        ]
        /// Objects larger than this get a multipart plan.
        public var multipartThreshold: Int64 = 64 * 1024 * 1024
        public var partSize: Int64 = 16 * 1024 * 1024
        /// Seconds presigned upload URLs stay valid.
        public var presignExpiry = 3_600
        public var maxFilenameLength = 255
    }

    public struct Shares: Codable, Sendable {
        /// Seconds a share lives when the upload does not say.
        public var defaultExpiry = 7 * 86_400
        /// The longest a share may live (may exceed the 7-day presign cap).
        public var maxExpiry = 365 * 86_400
        /// The shortest a share may live.
        public var minExpiry = 60
        /// Seconds the presigned GETs behind a share link stay valid.
        public var linkExpiry = 300
    }

    public struct Auth: Codable, Sendable {
        /// Bearer tokens allowed to create uploads; empty means anyone may upload.
        public var uploadTokens: [String] = []
    }

    public var environment = "development"
    public var gateway = Server()
    public var storage = Storage()
    public var uploads = Uploads()
    public var shares = Shares()
    public var auth = Auth()

    public init() {}

    /// Reads a settings file; every section and field is optional.
    public static func load(path: String) throws -> GatewaySettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatewaySettingsError("The settings file \(path) cannot be read.")
        }
        do {
            return try JSONDecoder().decode(GatewaySettings.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            throw GatewaySettingsError("\(path): \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
        } catch {
            throw GatewaySettingsError("\(path) is not valid settings JSON: \(error)")
        }
    }

    /// The gateway's signing secret.
    public var signingSecret: String { gateway.secret ?? "dropgate-gateway:" + storage.secretAccessKey }
}

extension GatewaySettings.Server {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? port
        publicURL = try container.decodeIfPresent(String.self, forKey: .publicURL) ?? publicURL
        secret = try container.decodeIfPresent(String.self, forKey: .secret)
    }
}

extension GatewaySettings.Storage {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mode = try container.decodeIfPresent(String.self, forKey: .mode) ?? mode
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? port
        endpoint = try container.decodeIfPresent(String.self, forKey: .endpoint)
        publicEndpoint = try container.decodeIfPresent(String.self, forKey: .publicEndpoint)
        region = try container.decodeIfPresent(String.self, forKey: .region) ?? region
        bucket = try container.decodeIfPresent(String.self, forKey: .bucket) ?? bucket
        accessKeyId = try container.decodeIfPresent(String.self, forKey: .accessKeyId) ?? accessKeyId
        secretAccessKey = try container.decodeIfPresent(String.self, forKey: .secretAccessKey) ?? secretAccessKey
        sessionToken = try container.decodeIfPresent(String.self, forKey: .sessionToken)
        sessionTokenExpiresAt = try container.decodeIfPresent(String.self, forKey: .sessionTokenExpiresAt)
        addressing = try container.decodeIfPresent(String.self, forKey: .addressing) ?? addressing
        dataDirectory = try container.decodeIfPresent(String.self, forKey: .dataDirectory) ?? dataDirectory
    }
}

extension GatewaySettings.Uploads {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxBytes = try container.decodeIfPresent(Int64.self, forKey: .maxBytes) ?? maxBytes
        allowedTypes = try container.decodeIfPresent([String].self, forKey: .allowedTypes) ?? allowedTypes
        multipartThreshold = try container.decodeIfPresent(Int64.self, forKey: .multipartThreshold) ?? multipartThreshold
        partSize = try container.decodeIfPresent(Int64.self, forKey: .partSize) ?? partSize
        presignExpiry = try container.decodeIfPresent(Int.self, forKey: .presignExpiry) ?? presignExpiry
        maxFilenameLength = try container.decodeIfPresent(Int.self, forKey: .maxFilenameLength) ?? maxFilenameLength
    }
}

extension GatewaySettings.Shares {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        defaultExpiry = try container.decodeIfPresent(Int.self, forKey: .defaultExpiry) ?? defaultExpiry
        maxExpiry = try container.decodeIfPresent(Int.self, forKey: .maxExpiry) ?? maxExpiry
        minExpiry = try container.decodeIfPresent(Int.self, forKey: .minExpiry) ?? minExpiry
        linkExpiry = try container.decodeIfPresent(Int.self, forKey: .linkExpiry) ?? linkExpiry
    }
}

extension GatewaySettings.Auth {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        uploadTokens = try container.decodeIfPresent([String].self, forKey: .uploadTokens) ?? uploadTokens
    }
}

extension GatewaySettings {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        environment = try container.decodeIfPresent(String.self, forKey: .environment) ?? environment
        gateway = try container.decodeIfPresent(Server.self, forKey: .gateway) ?? gateway
        storage = try container.decodeIfPresent(Storage.self, forKey: .storage) ?? storage
        uploads = try container.decodeIfPresent(Uploads.self, forKey: .uploads) ?? uploads
        shares = try container.decodeIfPresent(Shares.self, forKey: .shares) ?? shares
        auth = try container.decodeIfPresent(Auth.self, forKey: .auth) ?? auth
    }
}

/// Settings that cannot work; the message names the field.
public struct GatewaySettingsError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
