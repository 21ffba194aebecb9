import CurlHTTP
import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import Logging
import S3Client
import SigV4

/// The upload-and-share gateway: the JSON API, share links, the view page and the static web form.
///
/// It never carries file bytes on the upload path: it hands out presigned URLs (signed for the store's
/// public endpoint) and checks what arrived with a signed HEAD (through its internal endpoint).
public struct Gateway: HTTPHandler {
    let core: GatewayCore
    let router: Router

    /// - Parameters:
    ///   - client: the S3 client on the endpoint the gateway itself reaches.
    ///   - publicEndpoint: the endpoint browsers and curl reach; presigned URLs are signed for it.
    ///   - webDirectory: the folder of `index.html`, `app.js` and `style.css`.
    ///   - metrics: where request, presign and upload-check counts go (`GET /metrics`).
    ///   - logger: one line per request: method, route, status and duration (never a query string).
    public init(
        settings: GatewaySettings, client: S3Client, publicEndpoint: S3Endpoint, webDirectory: String, metrics: GatewayMetrics = GatewayMetrics(),
        logger: Logger = Logger(label: "dropgate.gateway"), now: @escaping @Sendable () -> Date = { Date() }, random: RandomBytes = .system
    ) {
        let presigner = S3Presigner(
            endpoint: publicEndpoint, credentials: client.configuration.credentials, bucket: settings.storage.bucket, now: now)
        let core = GatewayCore(
            settings: settings, client: client, presigner: presigner,
            shares: ShareStore(client: client, ledger: ShareLedger(client: client, now: now)), pages: StaticFiles(folder: webDirectory),
            metrics: metrics, logger: logger, now: now, secret: settings.gateway.secret ?? Base64URL.random(bytes: 32, from: random),
            sniffer: ContentSniffer(), random: random,
            limiter: ClientLimiter(
                bounds: ClientLimiter.Bounds(
                    uploadsPerMinute: settings.uploadsPerMinute, bytesPerHour: settings.bytesPerHour, pendingBytes: settings.pendingBytesPerClient,
                    trackedClients: settings.limits.trackedClients), now: now),
            trustedProxies: ClientAddress.canonical(settings.gateway.trustedProxies), quota: TokenQuota(client: client, quota: settings.auth.quota),
            passwordAttempts: PasswordAttempts(
                now: now, hashers: settings.limits.passwordHashing > 0 ? settings.limits.passwordHashing : HashingBudget.defaultPermits),
            partRefreshes: AttemptLimiter(perMinute: 120, burst: 120, now: now),
            publicBase: GatewayCore.publicBase(of: settings.gateway.publicURL))
        var router = Router()
        router.addOnEventLoop("POST", "/api/uploads") { request, body in try core.declareUpload(request, body: body) }
        router.add("POST", "/api/uploads/{id}/complete") { request, body in try core.completeUpload(request, body: body) }
        router.add("GET", "/api/uploads/{id}/parts") { request, _ in try core.storedParts(request) }
        router.add("POST", "/api/uploads/{id}/parts") { request, body in try core.refreshParts(request, body: body) }
        router.add("DELETE", "/api/uploads/{id}") { request, _ in try core.cancelUpload(request) }
        router.add("DELETE", "/api/shares/{id}") { request, _ in try core.revokeShare(request) }
        router.add("GET", "/api/shares/{id}") { request, _ in try core.describeShare(request) }
        router.add("GET", "/api/shares/{id}/unlock") { request, _ in try core.unlockInfo(request) }
        router.add("POST", "/api/shares") { request, body in try core.createCollection(request, body: body) }
        router.add("GET", "/s/{id}") { request, _ in core.viewPage(request) }
        router.add("POST", "/s/{id}/unlock") { request, body in try core.unlockShare(request, body: body) }
        router.add("GET", "/s/{id}/raw") { request, _ in core.rawDownload(request) }
        router.add("GET", "/s/{id}/qr.svg") { request, _ in try core.qrCode(request) }
        router.add("GET", "/s/{id}/{n}") { request, _ in core.filePage(request) }
        router.add("GET", "/s/{id}/{n}/raw") { request, _ in core.rawDownload(request) }
        let healthy = HTTPResponse.json(Status(status: "ok"), status: 200)
        router.add("GET", "/healthz", onEventLoop: true) { _, _ in healthy }
        let readiness = ReadinessProbe(client: client, now: now)
        router.add("GET", "/readyz") { _, _ in
            switch readiness.outcome() {
            case .ready: HTTPResponse.json(Status(status: "ready"), status: 200)
            case .notReady(let reason): GatewayError(503, .notReady, reason).response(for: nil)
            }
        }
        router.add("GET", "/api/limits", onEventLoop: true) { _, _ in HTTPResponse.json(core.limits, status: 200) }
        router.add("GET", "/api/usage") { request, _ in try core.usage(request) }
        router.add("GET", "/metrics") { request, _ in
            guard let token = settings.metrics.token, let given = Self.bearer(request),
                ConstantTime.equals(Array(given.utf8), Array(token.utf8))
            else {
                throw GatewayError(
                    404, .notFound, "Metrics are served on their own address (metrics.host, metrics.port), or here with metrics.token.")
            }
            return metrics.response
        }
        router.add("GET", "/") { request, _ in try core.staticFile("index.html", request: request) }
        router.add("GET", "/static/{name}") { request, _ in try core.staticFile(request.pathParameters["name"] ?? "", request: request) }
        router.fallback = HTTPHandlerFunction { request, _ in
            throw GatewayError(404, .notFound, "There is nothing at \(request.method) \(request.path).")
        }
        self.core = core
        self.router = router
    }

    /// The lifecycle sweeper of this gateway, to run inside `serve` (see ``LifecycleService``).
    public func makeLifecycleService() -> LifecycleService {
        LifecycleService(
            sweeper: LifecycleSweeper(
                core: core, lease: LifecycleLease(client: core.client, holder: Base64URL.random(bytes: 12, from: core.random), now: core.now)))
    }

    /// The token of `Authorization: Bearer <token>`, if the request carries one.
    static func bearer(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["authorization"], header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst("Bearer ".count))
    }

    /// The routes answered on the event loop: `/healthz`, `/api/limits`, and `POST /api/uploads` (which hands the
    /// rest to a worker when it must call the store: a multipart upload, or a token's quota).
    public func answersOnEventLoop(_ request: HTTPRequest) -> Bool { router.answersOnEventLoop(request) }

    /// The largest body any route reads (a collection's receipts): the gateway never streams a body, so every one is
    /// read whole on the event loop before a handler runs, and no worker waits for a client's bytes.
    public static let largestBody = 4 << 20

    public func bufferedBodyLimit(_ request: HTTPRequest) -> Int? { Self.largestBody }

    public func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let start = ContinuousClock.now
        let resolution = router.resolve(request)
        return try finish(request, resolution, start: start) { try router.respond(to: request, body: body, resolution: resolution) }
    }

    public func respondOnEventLoop(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPLoopAnswer {
        let start = ContinuousClock.now
        let resolution = router.resolve(request)
        var rest: (@Sendable () throws -> HTTPResponse)?
        let response = try finish(request, resolution, start: start) {
            switch try router.respondOnEventLoop(to: request, body: body, resolution: resolution) {
            case .response(let response): return response
            case .onWorker(let work):
                rest = work
                return HTTPResponse(status: 500)  // not sent: the worker's answer is
            }
        }
        guard let rest else { return .response(response) }
        return .onWorker { [self] in try finish(request, resolution, start: start, rest) }
    }

    /// The route's answer, with any error as the API's JSON error (``HTTPBodyAfterContinue`` goes through to the
    /// server), the headers every answer carries, and its metrics and access line.
    private func finish(
        _ request: HTTPRequest, _ resolution: Router.Resolution, start: ContinuousClock.Instant, _ answer: () throws -> HTTPResponse
    ) throws(HTTPBodyAfterContinue) -> HTTPResponse {
        var response: HTTPResponse
        do {
            response = try answer()
        } catch is HTTPBodyAfterContinue {
            throw HTTPBodyAfterContinue()
        } catch {
            response = Self.apiError(for: error, logger: core.logger).response(for: request)
        }
        if !response.headers.contains("x-content-type-options") { response.headers.append(.init("X-Content-Type-Options", "nosniff")) }
        core.addPageSecurityHeaders(to: &response)
        let elapsed = ContinuousClock.now - start
        let route = router.pattern(of: resolution) ?? "unmatched"
        core.metrics.request(route: route, status: response.status.code, duration: elapsed)
        // The source is named, so that swift-log need not work it out from #fileID on every request.
        core.logger.info(
            .init(stringLiteral: Self.accessLine(method: request.method, route: route, status: response.status.code, elapsed: elapsed)),
            source: "Gateway")
        return response
    }

    /// Requests the server refused before they reached the gateway are answered in the API's JSON.
    public func protocolErrorResponse(_ error: HTTPProtocolError, request: HTTPRequest?) -> HTTPResponse {
        GatewayError(error.status.code, error.status.code == 404 ? .notFound : .badRequest, error.message).response(for: request)
    }

    /// The access log's line: `GET /healthz 200 0.1ms`.
    static func accessLine(method: String, route: String, status: Int, elapsed: Duration) -> String {
        let (seconds, attoseconds) = elapsed.components
        let tenths = max(0, seconds) * 10_000 + (attoseconds + 50_000_000_000_000) / 100_000_000_000_000
        return "\(method) \(route) \(status) \(tenths / 10).\(tenths % 10)ms"
    }

    /// Every error a route can throw, as the API's error: the gateway's own as it is, the store's in the
    /// gateway's words, anything else as a 500 that reveals nothing (and is logged by type).
    static func apiError(for error: any Error, logger: Logger) -> GatewayError {
        switch error {
        case let error as GatewayError: return error
        case let error as HTTPProtocolError: return GatewayError(error.status.code, .badRequest, error.message)
        case let error as S3ClientError:
            return GatewayError(502, .storageError, "The object store refused the gateway's request: \(error.code).")
        case let error as NetworkError: return GatewayError(503, .storageUnreachable, error.description)
        default:
            logger.error("unexpected error: \(type(of: error))")
            return GatewayError(500, .internalError, "The gateway failed to answer this request.")
        }
    }
}

/// The gateway's dependencies and its operations, shared by the routes.
struct GatewayCore: Sendable {
    let settings: GatewaySettings
    let client: S3Client
    let presigner: S3Presigner
    let shares: ShareStore
    let pages: StaticFiles
    let metrics: GatewayMetrics
    let logger: Logger
    let now: @Sendable () -> Date
    /// The signing secret: the configured one, or (when none is set) a random one for this process only.
    let secret: String
    /// libmagic, for the upload check's look at the first bytes.
    let sniffer: ContentSniffer
    /// The source of object keys' random part.
    let random: RandomBytes
    /// Per-client bounds on declarations.
    let limiter: ClientLimiter
    /// The canonical addresses of `gateway.trustedProxies`.
    let trustedProxies: Set<String>
    /// What each upload token may keep (`auth.quota`).
    let quota: TokenQuota
    /// Bounds on guesses of share passwords.
    let passwordAttempts: PasswordAttempts
    /// Bounds, per client, on `POST /api/uploads/{id}/parts`.
    let partRefreshes: AttemptLimiter
    /// The public URL without trailing slashes, worked out once: every upload plan's curl command starts from it.
    let publicBase: String

    /// The client a request counts against (see ``ClientAddress``).
    func client(of request: HTTPRequest) -> ClientAddress {
        ClientAddress(peer: request.remoteAddress, forwardedFor: request.headers.values("x-forwarded-for"), trusted: trustedProxies)
    }

    /// Refuses a request without a valid bearer token when upload tokens are configured.
    ///
    /// - Returns: the token, when tokens are configured.
    @discardableResult
    func requireUploadToken(_ request: HTTPRequest) throws -> String? {
        guard !settings.auth.uploadTokens.isEmpty else { return nil }
        guard let token = Gateway.bearer(request) else {
            throw GatewayError(
                401, .unauthorized, "This Dropgate needs an upload token. Ask its owner for one.")
        }
        let given = Array(token.utf8)
        // Every configured token is compared, so the time taken says nothing about which one nearly matched.
        let matches = settings.auth.uploadTokens.reduce(0) { count, known in count + (ConstantTime.equals(Array(known.utf8), given) ? 1 : 0) }
        guard matches > 0 else { throw GatewayError(401, .unauthorized, "This upload token is not valid here. Ask the Dropgate's owner for one.") }
        return token
    }

    /// The quota fingerprint of the request's upload token, when quotas apply.
    func quotaOwner(_ token: String?) -> String? {
        guard quota.applies, let token else { return nil }
        return TokenQuota.fingerprint(of: token, secret: secret)
    }

    /// `GET /api/usage` with an upload token: what it keeps stored, and its quota.
    func usage(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let token = try requireUploadToken(request) else {
            throw GatewayError(404, .noTokens, "This gateway takes uploads without tokens, so no usage is kept per token.")
        }
        let usage = try quota.usage(TokenQuota.fingerprint(of: token, secret: secret))
        let bound = settings.auth.quota
        return HTTPResponse.json(
            TokenUsageReport(
                bytes: usage.bytes, shares: usage.shares.count, maxBytes: bound.maxBytes > 0 ? bound.maxBytes : nil,
                maxShares: bound.maxShares > 0 ? bound.maxShares : nil), status: 200)
    }

    /// Gives a share's bytes back to its owner's quota (after a revocation or the sweep); harmless when done twice.
    func releaseQuota(of record: ShareRecord) throws {
        guard let owner = record.owner else { return }
        try quota.release(owner, share: record.id)
    }

    /// The seconds a presigned URL may live: `wanted`, or less when temporary credentials expire sooner.
    ///
    /// - Returns: the seconds, and whether they were cut short by the session token's expiry.
    func presignLifetime(_ wanted: Int) throws -> (seconds: Int, clamped: Bool) {
        guard let expiry = settings.sessionTokenExpiry else { return (wanted, false) }
        let left = Int(expiry.timeIntervalSince(now()))
        guard left > 0 else {
            throw GatewayError(503, .credentialsExpired, "The gateway's temporary storage credentials have expired; renew them and restart it.")
        }
        return left < wanted ? (left, true) : (wanted, false)
    }

    /// What clients need before they declare an upload (`GET /api/limits`).
    var limits: UploadLimits {
        UploadLimits(
            maxBytes: settings.uploads.maxBytes, allowedTypes: settings.uploads.allowedTypes, hashLimit: 64 * 1024 * 1024,
            tokenRequired: !settings.auth.uploadTokens.isEmpty, transfer: transferPolicy)
    }
}
