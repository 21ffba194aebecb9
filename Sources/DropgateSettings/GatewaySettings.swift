import Foundation

/// Everything the gateway is configured with. Every field is declared once, in ``GatewaySettings/fields``:
/// decoding `settings-<environment>.json`, the `DROPGATE_*` and `AWS_*` environment overrides, validation and
/// the README's settings table all follow from that table.
public struct GatewaySettings: Sendable {
    /// Whether the gateway starts its own store or uses an S3-compatible endpoint.
    public enum StorageMode: String, Sendable, CaseIterable {
        case embedded
        case external
    }

    /// How bucket names reach the store: in the path, or as a host name.
    public enum Addressing: String, Sendable, CaseIterable {
        case path
        case virtual
    }

    /// The canned ACL every presigned upload signs (`x-amz-acl`), so that a client cannot add another one: a staging
    /// object is never made public. `bucket-owner-full-control` is what AWS accepts with ACLs on or off (and on RGW,
    /// with the gateway's own user, means private); `none` signs no ACL, for a store that refuses the header.
    public enum UploadACL: String, Sendable, CaseIterable {
        case bucketOwnerFullControl = "bucket-owner-full-control"
        case `private`
        case none
    }

    public struct Server: Sendable {
        public var host = "127.0.0.1"
        public var port = 5001
        /// The URL people use to reach the gateway (share links are built on it).
        public var publicURL = "http://localhost:5001"
        /// Signs upload tokens and delete tokens; required in production, generated into the data folder elsewhere.
        public var secret: String?
        /// Peers (reverse proxies) whose `X-Forwarded-For` names the client; from anyone else the header is ignored.
        public var trustedProxies: [String] = []
        /// Where browsers report what the pages' Content-Security-Policy blocked (`report-uri`); nil reports nothing.
        public var cspReportURL: String?
    }

    public struct Storage: Sendable {
        public var mode = StorageMode.embedded
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
        /// When the session token expires; presigned URLs never outlive it. Parsed once, when read.
        public var sessionTokenExpiresAt: Date?
        public var addressing = Addressing.path
        /// Embedded store: its data folder.
        public var dataDirectory = ".dropgate/data"
        /// Seconds any one store call may take; a store that accepts and never answers costs a request at most this
        /// long. Streams (proxied downloads, virus scans) may go a minute without a byte, at least.
        public var requestTimeout = 5
        /// Embedded store: take Signature Version 2 (boto3's default presigned URLs) beside SigV4.
        public var allowSigV2 = true
        /// The ACL presigned uploads sign.
        public var uploadACL = UploadACL.bucketOwnerFullControl
    }

    public struct Uploads: Sendable {
        public var maxBytes: Int64 = 5 * 1024 * 1024 * 1024
        /// Allowed Content-Types; `image/*` matches a family, `*/*` anything.
        public var allowedTypes = [
            "image/*", "video/*", "audio/*", "text/plain", "text/markdown", "text/csv", "application/pdf", "application/zip", "application/json",
            "application/octet-stream",
        ]
        /// Objects larger than this get a multipart plan.
        public var multipartThreshold: Int64 = 64 * 1024 * 1024
        public var partSize: Int64 = 16 * 1024 * 1024
        /// Seconds presigned upload URLs stay valid.
        public var presignExpiry = 3_600
        /// Seconds a multipart upload may be resumed (its upload id lives this long; fresh part URLs come from
        /// `POST /api/uploads/{id}/parts`); at least `presignExpiry`.
        public var resumeWindow = 86_400
        public var maxFilenameLength = 255
        public var scan = Scan()
    }

    /// Optional virus scanning of every upload before it is shared.
    public struct Scan: Sendable {
        /// clamd's address, `tcp://127.0.0.1:3310` or `unix:/run/clamav/clamd.ctl`; nil scans nothing.
        public var clamd: String?
        /// Share uploads unscanned while clamd is down (default: refuse them with 503 and keep them for a retry).
        public var failOpen = false
        /// The largest file clamd takes (its `StreamMaxLength`, 25 MiB unless clamd.conf says more): a larger upload is
        /// refused with 413 `too_large_to_scan`, failOpen or not; `serve` and `doctor` check that clamd takes it.
        public var maxBytes: Int64 = 25 << 20
    }

    public struct Shares: Sendable {
        /// Seconds a share lives when the upload does not say.
        public var defaultExpiry = 7 * 86_400
        /// The longest a share may live (may exceed the 7-day presign cap).
        public var maxExpiry = 365 * 86_400
        /// The shortest a share may live.
        public var minExpiry = 60
        /// Seconds the presigned GETs behind a share link stay valid.
        public var linkExpiry = 300
        /// Seconds a share's download log keeps each download.
        public var logRetention = 30 * 86_400
    }

    public struct Auth: Sendable {
        /// Who may declare uploads; downloads stay open to whoever holds a link.
        public enum UploadAccess: String, CaseIterable, Sendable {
            /// Anyone, or a holder of one of `auth.uploadTokens` when any are listed (as before accounts).
            case anyone
            /// A holder of one of `auth.uploadTokens`.
            case token
            /// A signed-in user (OpenID Connect), or a holder of one of `auth.uploadTokens`.
            case login
        }

        public var uploads = UploadAccess.anyone
        /// Bearer tokens allowed to create uploads; empty means anyone may upload.
        public var uploadTokens: [String] = []
        /// What each upload token may keep stored at once; 0 is no bound.
        public var quota = Quota()
        public var oidc = OpenIDConnect()
        public var session = Session()
    }

    /// Signing in with an OpenID provider (authorization code flow with PKCE); off while `issuer` is unset.
    public struct OpenIDConnect: Sendable {
        /// The provider's issuer URL, exactly as its discovery document states it.
        public var issuer: String?
        public var clientId: String?
        public var clientSecret: String?
        public var scopes = ["openid", "email", "profile"]
        /// The claim shown as the user's name (the account itself is always the provider's `sub`).
        public var nameClaim = "preferred_username"
        /// When set, only users whose `email` claim is at one of these domains may sign in.
        public var allowedEmailDomains: [String] = []
        /// The claim that lists a user's groups.
        public var groupsClaim = "groups"
        /// When set, only members of one of these groups may sign in.
        public var allowedGroups: [String] = []
        /// Members of this group are admins.
        public var adminGroup: String?
        /// Take a provider at http://127.0.0.1 or localhost (tests, a provider on the same machine); https otherwise.
        public var allowLoopbackHTTP = false
    }

    /// The signed session cookie of a signed-in user.
    public struct Session: Sendable {
        /// Seconds a session lasts at most.
        public var lifetime = 7 * 86_400
        /// Seconds without a request after which a session ends.
        public var idleTimeout = 86_400
    }

    /// A bound on what one upload token keeps stored, held in the bucket so that every gateway sees it.
    public struct Quota: Sendable {
        /// Bytes of live shares.
        public var maxBytes: Int64 = 0
        /// Live shares.
        public var maxShares = 0
        /// Shares made in one UTC day.
        public var maxUploadsPerDay = 0
    }

    /// Per-client bounds, met before the bucket is. `nil` is the environment's default: off in `development`,
    /// on everywhere else (see ``effective(_:_:)``).
    public struct Limits: Sendable {
        /// Upload declarations per minute per client address.
        public var uploadsPerMinute: Int?
        /// Declared bytes per hour per client address.
        public var bytesPerHour: Int64?
        /// Declared bytes of a client's uploads that are not yet completed (or expired).
        public var pendingBytesPerClient: Int64?
        /// The most client addresses tracked at once; past it the least recently seen are forgotten.
        public var trackedClients = 100_000
        /// Seconds a request head may take to arrive (against slowloris).
        public var headTimeout = 10
        /// The lowest average rate of a request body after a 10 s grace, in bytes a second; slower is 408 (0: none).
        public var minBodyRate = 1_024
        /// Connections one client address may hold at once, on the gateway and the embedded store; trusted proxies
        /// are exempt (0: no bound).
        public var connectionsPerClient = 256
        /// Connections the gateway (and the embedded store) hold at once; quiet ones wait on epoll without a thread.
        public var maxConnections = 16_384
        /// Event loops (epoll threads) of the gateway and of the embedded store each (0: one per core).
        public var eventLoops = 0
        /// Threads that run requests which may block, on the gateway and the embedded store each (0: 16 a core, 16 to 64).
        public var workers = 0
        /// Requests that may wait for a worker; past it, 503 with `Retry-After`.
        public var queuedRequests = 1_024
        /// Password hashes (share passwords, checked or set) that may run at once (0: half the cores).
        public var passwordHashing = 0
    }

    /// The sweeper inside `serve`: orphaned uploads, abandoned multipart uploads and dead shares.
    public struct Lifecycle: Sendable {
        public var enabled = true
        /// Seconds between passes.
        public var interval = 600
        /// Seconds past an upload's expiry before what it left is deleted.
        public var orphanGrace = 3_600
        /// Seconds a dead (expired, revoked, used-up) share keeps its objects.
        public var shareGrace = 86_400
        /// Seconds a dead share's record keeps answering 410 before links to it answer 404.
        public var tombstoneRetention = 30 * 86_400
        /// Seconds one pass may spend.
        public var passBudget = 60
        /// Keys listed per page (S3's largest page is 1000).
        public var pageSize = 1_000
    }

    /// Where Prometheus metrics are served: their own listener (loopback by default), and on the gateway's
    /// `/metrics` only with `token`.
    public struct Metrics: Sendable {
        public var host = "127.0.0.1"
        /// The metrics listener's port (0 picks a free one).
        public var port = 5003
        /// A bearer token that opens `GET /metrics` on the gateway's own address; unset, that route is 404.
        public var token: String?
    }

    public var environment = "development"
    public var gateway = Server()
    public var storage = Storage()
    public var uploads = Uploads()
    public var shares = Shares()
    public var auth = Auth()
    public var limits = Limits()
    public var lifecycle = Lifecycle()
    public var metrics = Metrics()
    public var webhooks = Webhooks()
    public var mail = Mail()

    public init() {}

    /// A limit as it applies: the value set, else the environment's default (`off`, 0, in development).
    public func effective<Value: BinaryInteger>(_ limit: Value?, _ publicDefault: Value) -> Value {
        limit ?? (environment == "development" ? 0 : publicDefault)
    }

    /// Upload declarations per minute per client; 0 is off.
    public var uploadsPerMinute: Int { effective(limits.uploadsPerMinute, 60) }
    /// Declared bytes per hour per client; 0 is off.
    public var bytesPerHour: Int64 { effective(limits.bytesPerHour, 50 << 30) }
    /// Declared bytes of incomplete uploads per client; 0 is off.
    public var pendingBytesPerClient: Int64 { effective(limits.pendingBytesPerClient, 10 << 30) }

    /// When the session token stops working, if known.
    public var sessionTokenExpiry: Date? { storage.sessionTokenExpiresAt }
}

/// Settings that cannot work; the message names the field.
public struct GatewaySettingsError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
