import Foundation

extension GatewaySettings {
    /// Every setting, once. The README's settings table is ``fieldsMarkdown``; `dropgate reference settings` prints it.
    public static let fields: [SettingsField] = coreFields + noticeFields

    static let coreFields: [SettingsField] = [
        .text("environment", \.environment, "The environment's name (`development`, `production`)."),
        .text("gateway.host", \.gateway.host, "Where the gateway listens."),
        .port("gateway.port", \.gateway.port, "The gateway's port (0 picks a free one)."),
        .url("gateway.publicURL", \.gateway.publicURL, "The base of share links: the URL people use."),
        .secret("gateway.secret", \.gateway.secret, "Signs upload ids and delete tokens; the same on every gateway of one bucket."),
        .list("gateway.trustedProxies", \.gateway.trustedProxies, "Reverse proxies (IP addresses) whose `X-Forwarded-For` names the client."),
        .optionalURL(
            "gateway.cspReportURL", \.gateway.cspReportURL, "Where browsers report what the pages' Content-Security-Policy blocked (none by default)."
        ),
        .choice("storage.mode", \.storage.mode, "`embedded` starts the store in-process; `external` uses `storage.endpoint`."),
        .text("storage.host", \.storage.host, "Embedded store: where it listens."),
        .port("storage.port", \.storage.port, "Embedded store: its port (0 picks a free one)."),
        .optionalURL(
            "storage.endpoint", \.storage.endpoint, "The S3 endpoint the gateway itself uses (default: the public one).", aws: "AWS_ENDPOINT_URL_S3"),
        .optionalURL("storage.publicEndpoint", \.storage.publicEndpoint, "The endpoint browsers and curl reach; presigned URLs are signed for it."),
        .text("storage.region", \.storage.region, "The store's region.", aws: "AWS_REGION"),
        .required("storage.bucket", \.storage.bucket, "The bucket for uploads and share records."),
        .required("storage.accessKeyId", \.storage.accessKeyId, "The access key.", aws: "AWS_ACCESS_KEY_ID"),
        .requiredSecret("storage.secretAccessKey", \.storage.secretAccessKey, "The secret key.", aws: "AWS_SECRET_ACCESS_KEY"),
        .secret("storage.sessionToken", \.storage.sessionToken, "A session token, for temporary credentials.", aws: "AWS_SESSION_TOKEN"),
        .time(
            "storage.sessionTokenExpiresAt", \.storage.sessionTokenExpiresAt, "When temporary credentials expire; presigned URLs never outlive them.",
            aws: "AWS_CREDENTIAL_EXPIRATION"),
        .choice("storage.addressing", \.storage.addressing, "`path` (`host/bucket/key`) or `virtual` (`bucket.host/key`)."),
        .text("storage.dataDirectory", \.storage.dataDirectory, "Embedded store: its data folder."),
        .integer(
            "storage.requestTimeout", \.storage.requestTimeout, 1...600,
            "Seconds one store call may take (streams: a minute without a byte, at least); then 503 `storage_unreachable`."),
        .boolean(
            "storage.allowSigV2", \.storage.allowSigV2,
            "Embedded store: take Signature Version 2 (HMAC-SHA1, boto3's default presigned URLs) beside SigV4, as MinIO and RGW do."),
        .choice(
            "storage.uploadACL", \.storage.uploadACL,
            "The canned ACL every presigned upload signs, so no client can make a staging object public: `bucket-owner-full-control`, `private`, or `none` for a store that refuses the header."
        ),
        .bytes("uploads.maxBytes", \.uploads.maxBytes, 1...(5 << 40), "The largest upload, in bytes."),
        .list("uploads.allowedTypes", \.uploads.allowedTypes, "Accepted media types; `type/*` and `*/*` match families."),
        .bytes(
            "uploads.multipartThreshold", \.uploads.multipartThreshold, (5 << 20)...(5 << 30),
            "Uploads larger than this get a multipart plan (at most 5 GiB, S3's largest single PUT and copy)."),
        .bytes("uploads.partSize", \.uploads.partSize, (5 << 20)...(5 << 30), "The part size of multipart plans (grown to keep 10,000 parts)."),
        .integer("uploads.presignExpiry", \.uploads.presignExpiry, 1...604_800, "Seconds the upload URLs stay valid."),
        .integer(
            "uploads.resumeWindow", \.uploads.resumeWindow, 1...2_592_000,
            "Seconds an interrupted multipart upload may be resumed with fresh part URLs (at least uploads.presignExpiry)."),
        .integer("uploads.maxFilenameLength", \.uploads.maxFilenameLength, 1...1_024, "The longest filename, in bytes."),
        .scanner("uploads.scan.clamd", \.uploads.scan.clamd, "clamd's address (`tcp://127.0.0.1:3310`, `unix:/path`): every upload is scanned."),
        .boolean("uploads.scan.failOpen", \.uploads.scan.failOpen, "Share uploads unscanned while clamd is down (else 503 `scanner_unavailable`)."),
        .bytes(
            "uploads.scan.maxBytes", \.uploads.scan.maxBytes, 1...(4 << 30),
            "The largest file clamd takes (its `StreamMaxLength`); larger uploads are refused with 413 `too_large_to_scan`, failOpen or not."),
        .integer("shares.defaultExpiry", \.shares.defaultExpiry, 1...(100 * 365 * 86_400), "Seconds a share lives when the upload does not say."),
        .integer("shares.minExpiry", \.shares.minExpiry, 1...(100 * 365 * 86_400), "The shortest share lifetime a client may ask for."),
        .integer("shares.maxExpiry", \.shares.maxExpiry, 1...(100 * 365 * 86_400), "The longest share lifetime (may exceed the 7-day presign cap)."),
        .integer("shares.linkExpiry", \.shares.linkExpiry, 1...604_800, "Seconds the presigned GETs behind a share link stay valid."),
        .integer(
            "shares.logRetention", \.shares.logRetention, 0...(3 * 365 * 86_400),
            "Seconds a share's download log keeps each download; 0 keeps no log (no address is ever kept; see the README)."),
        .choice(
            "auth.uploads", \.auth.uploads,
            "Who may upload: `anyone` (or a token holder while auth.uploadTokens lists any), `token`, or `login` (signed in, or a token)."),
        .list("auth.uploadTokens", \.auth.uploadTokens, "Bearer tokens allowed to upload; empty means anyone may."),
        .optionalURL("auth.oidc.issuer", \.auth.oidc.issuer, "The OpenID provider's issuer URL; set, people may sign in."),
        .optionalText("auth.oidc.clientId", \.auth.oidc.clientId, "The client id Dropgate has at the provider."),
        .secret("auth.oidc.clientSecret", \.auth.oidc.clientSecret, "The client secret Dropgate has at the provider."),
        .list("auth.oidc.scopes", \.auth.oidc.scopes, "The scopes asked for at sign-in."),
        .text("auth.oidc.nameClaim", \.auth.oidc.nameClaim, "The ID token claim shown as the user's name."),
        .list("auth.oidc.allowedEmailDomains", \.auth.oidc.allowedEmailDomains, "Only users with an email at these domains may sign in."),
        .text("auth.oidc.groupsClaim", \.auth.oidc.groupsClaim, "The ID token claim that lists a user's groups."),
        .list("auth.oidc.allowedGroups", \.auth.oidc.allowedGroups, "Only members of one of these groups may sign in."),
        .optionalText("auth.oidc.adminGroup", \.auth.oidc.adminGroup, "Members of this group are admins."),
        .boolean("auth.oidc.allowLoopbackHTTP", \.auth.oidc.allowLoopbackHTTP, "Take a provider on http://127.0.0.1 or localhost."),
        .integer("auth.session.lifetime", \.auth.session.lifetime, 60...(366 * 86_400), "Seconds a sign-in lasts at most."),
        .integer("auth.session.idleTimeout", \.auth.session.idleTimeout, 60...(366 * 86_400), "Seconds without a request that end a sign-in."),
        .bytes(
            "auth.quota.maxBytes", \.auth.quota.maxBytes, 0...(1 << 60),
            "Bytes of live shares each upload token, and each signed-in account, may keep (0: no bound)."),
        .integer(
            "auth.quota.maxShares", \.auth.quota.maxShares, 0...100_000_000,
            "Live shares each upload token, and each signed-in account, may keep (0: no bound)."),
        .integer(
            "auth.quota.maxUploadsPerDay", \.auth.quota.maxUploadsPerDay, 0...100_000_000,
            "Shares each upload token, and each signed-in account, may make in one UTC day (0: no bound)."),
        .optionalInteger(
            "limits.uploadsPerMinute", \.limits.uploadsPerMinute, 0...1_000_000,
            "Upload declarations per minute per client address (default 60; 0, off, in `development`)."),
        .optionalBytes(
            "limits.bytesPerHour", \.limits.bytesPerHour, 0...(1 << 60), "Declared bytes per hour per client (default 50 GiB; off in `development`)."),
        .optionalBytes(
            "limits.pendingBytesPerClient", \.limits.pendingBytesPerClient, 0...(1 << 60),
            "Declared bytes of a client's uploads not yet completed or expired (default 10 GiB; off in `development`)."),
        .integer(
            "limits.trackedClients", \.limits.trackedClients, 1...10_000_000, "Client addresses tracked at once (the least recent are forgotten)."),
        .integer("limits.headTimeout", \.limits.headTimeout, 1...600, "Seconds a request head may take to arrive (against slowloris); then 408."),
        .integer(
            "limits.minBodyRate", \.limits.minBodyRate, 0...(1 << 30),
            "The lowest average body rate, in bytes a second after a 10 s grace; slower gets 408 and the connection closes (0: none)."),
        .integer(
            "limits.connectionsPerClient", \.limits.connectionsPerClient, 0...1_000_000,
            "Connections one address may hold at once on the gateway and the embedded store (429 past it; trusted proxies exempt; 0: none)."),
        .integer(
            "limits.maxConnections", \.limits.maxConnections, 1...1_000_000,
            "Connections held at once (503 past it); idle ones cost no thread. `serve` raises its open-file limit to fit."),
        .integer(
            "limits.eventLoops", \.limits.eventLoops, 0...64,
            "Event loops (epoll threads) of the gateway and of the embedded store each; they answer short requests (0: one per core)."),
        .integer(
            "limits.workers", \.limits.workers, 0...1_024,
            "Threads that run requests which may block, on the gateway and the embedded store each (0: 16 a core, 16 to 64); slow clients hold none."),
        .integer(
            "limits.queuedRequests", \.limits.queuedRequests, 0...1_000_000,
            "Requests that may wait for a worker, taken in turn by address; past it 503 (an address with none waiting still gets in)."),
        .integer(
            "limits.passwordHashing", \.limits.passwordHashing, 0...256,
            "Password hashes that may run at once, for all shares and clients (0: half the cores); past it, and 0.25 s of waiting, 429."),
        .boolean("lifecycle.enabled", \.lifecycle.enabled, "Run the sweeper inside `serve`."),
        .integer("lifecycle.interval", \.lifecycle.interval, 1...86_400, "Seconds between sweeps."),
        .integer(
            "lifecycle.orphanGrace", \.lifecycle.orphanGrace, 1...(365 * 86_400), "Seconds past an upload's expiry before what it left is deleted."),
        .integer(
            "lifecycle.shareGrace", \.lifecycle.shareGrace, 0...(365 * 86_400), "Seconds a dead (expired, revoked, used-up) share keeps its objects."),
        .integer(
            "lifecycle.tombstoneRetention", \.lifecycle.tombstoneRetention, 0...(10 * 365 * 86_400),
            "Seconds a dead share's link answers 410 with the reason before it answers 404."),
        .integer("lifecycle.passBudget", \.lifecycle.passBudget, 1...3_600, "Seconds one sweep may spend; the next carries on."),
        .integer("lifecycle.pageSize", \.lifecycle.pageSize, 1...1_000, "Keys listed per request while sweeping."),
        .text("metrics.host", \.metrics.host, "Where the Prometheus listener listens (keep it private)."),
        .port("metrics.port", \.metrics.port, "The Prometheus listener's port (0 picks a free one)."),
        .secret("metrics.token", \.metrics.token, "A bearer token that opens `/metrics` on the gateway's own address (unset: 404 there)."),
    ]

    /// The field named `key`.
    public static func field(_ key: String) -> SettingsField? { fields.first { $0.key == key } }

    /// The settings table of the README: field, default, environment variables, meaning.
    public static var fieldsMarkdown: String {
        let defaults = GatewaySettings()
        var lines = ["| field | default | environment | meaning |", "| --- | --- | --- | --- |"]
        for field in fields {
            let value: String =
                switch field.read(defaults) {
                case .none: ""
                case .text(let text): text.isEmpty ? "" : "`\(text)`"
                case .integer(let number): if case .boolean = field.kind { number != 0 ? "`true`" : "`false`" } else { "`\(number)`" }
                case .list(let items): items.isEmpty ? "`[]`" : "`" + items.joined(separator: ", ") + "`"
                case .time: ""
                }
            let variables = ([field.environmentVariable] + (field.awsVariable.map { [$0] } ?? [])).map { "`\($0)`" }.joined(separator: ", ")
            lines.append("| `\(field.key)` | \(value) | \(variables) | \(field.help) |")
        }
        return lines.joined(separator: "\n")
    }
}

extension SettingsField {
    typealias Path<T> = WritableKeyPath<GatewaySettings, T> & Sendable

    static func make<T>(
        _ key: String, _ kind: Kind, _ path: Path<T>, _ help: String, aws: String?, read: @escaping @Sendable (T) -> Value,
        write: @escaping @Sendable (Value) -> T?
    ) -> SettingsField {
        SettingsField(
            key: key, kind: kind, help: help, awsVariable: aws, read: { read($0[keyPath: path]) },
            write: { settings, value in if let typed = write(value) { settings[keyPath: path] = typed } })
    }

    static func text(_ key: String, _ path: Path<String>, _ help: String, aws: String? = nil) -> SettingsField {
        make(key, .text, path, help, aws: aws, read: { .text($0) }, write: { if case .text(let text) = $0 { text } else { nil } })
    }

    static func required(_ key: String, _ path: Path<String>, _ help: String, aws: String? = nil) -> SettingsField {
        make(key, .required, path, help, aws: aws, read: { .text($0) }, write: { if case .text(let text) = $0 { text } else { nil } })
    }

    static func requiredSecret(_ key: String, _ path: Path<String>, _ help: String, aws: String? = nil) -> SettingsField {
        var field = required(key, path, help, aws: aws)
        field = SettingsField(key: field.key, kind: .secret, help: field.help, awsVariable: field.awsVariable, read: field.read, write: field.write)
        return field
    }

    static func secret(_ key: String, _ path: Path<String?>, _ help: String, aws: String? = nil) -> SettingsField {
        make(key, .secret, path, help, aws: aws, read: { $0.map(Value.text) ?? .none }, write: { if case .text(let text) = $0 { text } else { nil } })
    }

    static func optionalText(_ key: String, _ path: Path<String?>, _ help: String) -> SettingsField {
        make(key, .text, path, help, aws: nil, read: { $0.map(Value.text) ?? .none }, write: { if case .text(let text) = $0 { text } else { nil } })
    }

    static func url(_ key: String, _ path: Path<String>, _ help: String) -> SettingsField {
        make(key, .url, path, help, aws: nil, read: { .text($0) }, write: { if case .text(let text) = $0 { text } else { nil } })
    }

    static func optionalURL(_ key: String, _ path: Path<String?>, _ help: String, aws: String? = nil) -> SettingsField {
        make(key, .url, path, help, aws: aws, read: { $0.map(Value.text) ?? .none }, write: { if case .text(let text) = $0 { text } else { nil } })
    }

    static func port(_ key: String, _ path: Path<Int>, _ help: String) -> SettingsField {
        integer(key, path, 0...65_535, help)
    }

    static func integer(_ key: String, _ path: Path<Int>, _ range: ClosedRange<Int64>, _ help: String) -> SettingsField {
        make(
            key, .integer(range), path, help, aws: nil, read: { .integer(Int64($0)) },
            write: { if case .integer(let number) = $0 { Int(clamping: number) } else { nil } })
    }

    static func optionalInteger(_ key: String, _ path: Path<Int?>, _ range: ClosedRange<Int64>, _ help: String) -> SettingsField {
        make(
            key, .integer(range), path, help, aws: nil, read: { $0.map { .integer(Int64($0)) } ?? .none },
            write: { if case .integer(let number) = $0 { Int(clamping: number) } else { nil } })
    }

    static func optionalBytes(_ key: String, _ path: Path<Int64?>, _ range: ClosedRange<Int64>, _ help: String) -> SettingsField {
        make(
            key, .integer(range), path, help, aws: nil, read: { $0.map { .integer($0) } ?? .none },
            write: { if case .integer(let number) = $0 { number } else { nil } })
    }

    static func bytes(_ key: String, _ path: Path<Int64>, _ range: ClosedRange<Int64>, _ help: String) -> SettingsField {
        make(key, .integer(range), path, help, aws: nil, read: { .integer($0) }, write: { if case .integer(let number) = $0 { number } else { nil } })
    }

    static func scanner(_ key: String, _ path: Path<String?>, _ help: String) -> SettingsField {
        make(
            key, .scanner, path, help, aws: nil, read: { $0.map(Value.text) ?? .none }, write: { if case .text(let text) = $0 { text } else { nil } })
    }

    static func boolean(_ key: String, _ path: Path<Bool>, _ help: String) -> SettingsField {
        make(
            key, .boolean, path, help, aws: nil, read: { .integer($0 ? 1 : 0) },
            write: { if case .integer(let number) = $0 { number != 0 } else { nil } })
    }

    static func list(_ key: String, _ path: Path<[String]>, _ help: String) -> SettingsField {
        make(key, .list, path, help, aws: nil, read: { .list($0) }, write: { if case .list(let items) = $0 { items } else { nil } })
    }

    static func time(_ key: String, _ path: Path<Date?>, _ help: String, aws: String?) -> SettingsField {
        make(key, .time, path, help, aws: aws, read: { $0.map(Value.time) ?? .none }, write: { if case .time(let date) = $0 { date } else { nil } })
    }

    static func choice<E: RawRepresentable & CaseIterable & Sendable>(_ key: String, _ path: Path<E>, _ help: String) -> SettingsField
    where E.RawValue == String {
        let words = E.allCases.map(\.rawValue)
        return make(
            key, .choice(words), path, help, aws: nil, read: { .text($0.rawValue) },
            write: { if case .text(let text) = $0 { E(rawValue: text) } else { nil } })
    }
}
