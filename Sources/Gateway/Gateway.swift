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
    let uploads: UploadService
    let sharing: ShareService
    let pages: PageService
    let metrics: GatewayMetrics
    let logger: Logger
    let router: Router
    let receipts: DownloadReceipts

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
        let secret = settings.gateway.secret ?? Base64URL.random(bytes: 32, from: random)
        let publicBase = ShareService.publicBase(of: settings.gateway.publicURL)
        let personalTokens = PersonalTokens(client: client)
        let accountStatus = AccountStatus(client: client, now: now)
        let sessions = SessionCookies(
            secret: secret, lifetime: Int64(settings.auth.session.lifetime), idleTimeout: Int64(settings.auth.session.idleTimeout),
            secure: settings.gateway.publicURL.hasPrefix("https:"), now: now)
        let access = AccessGuard(
            settings: settings, secret: secret, random: random,
            limiter: ClientLimiter(
                bounds: ClientLimiter.Bounds(
                    uploadsPerMinute: settings.uploadsPerMinute, bytesPerHour: settings.bytesPerHour, pendingBytes: settings.pendingBytesPerClient,
                    trackedClients: settings.limits.trackedClients), now: now),
            trustedProxies: ClientAddress.canonical(settings.gateway.trustedProxies), quota: TokenQuota(client: client, quota: settings.auth.quota),
            passwordAttempts: PasswordAttempts(
                now: now, hashers: settings.limits.passwordHashing > 0 ? settings.limits.passwordHashing : HashingBudget.defaultPermits),
            partRefreshes: AttemptLimiter(perMinute: 120, burst: 120, now: now), sessions: sessions, personalTokens: personalTokens,
            accountStatus: accountStatus)
        var notices = NoticeCenter(store: WebhookStore(client: client, now: now), settings: settings.webhooks, logger: logger, now: now)
        let mailQueue = MailQueue(client: client, settings: settings.mail, logger: logger, now: now)
        let preferences = NoticePreferences(client: client, now: now)
        if settings.mail.isEnabled {
            notices.mail = mailQueue
            notices.preferences = preferences
            notices.profiles = AccountProfiles(client: client)
            notices.publicBase = publicBase
        }
        let sharing = ShareService(
            settings: settings, client: client, presigner: presigner,
            shares: ShareStore(client: client, ledger: ShareLedger(client: client, now: now), edits: ShareEdits(client: client)),
            metrics: metrics, logger: logger, now: now, secret: secret, access: access, publicBase: publicBase, notices: notices,
            downloadLog: DownloadLog(client: client, now: now, onDropped: { metrics.downloadLogDropped() }))
        let accounts = AccountService(
            settings: settings, provider: OpenIDProvider(settings: settings.auth.oidc, now: now), sessions: sessions, sharing: sharing,
            tokens: personalTokens, profiles: AccountProfiles(client: client), random: random, secret: secret, publicBase: publicBase, logger: logger,
            now: now)
        uploads = UploadService(
            settings: settings, client: client, presigner: presigner, metrics: metrics, logger: logger, now: now, secret: secret, random: random,
            sniffer: ContentSniffer(), access: access, sharing: sharing, publicBase: publicBase)
        pages = PageService(presigner: presigner, pages: StaticFiles(folder: webDirectory), cspReportURL: settings.gateway.cspReportURL)
        self.sharing = sharing
        receipts = DownloadReceipts(client: client)
        self.metrics = metrics
        self.logger = logger
        let requests = RequestService(
            settings: settings, requests: FileRequests(client: client), uploads: uploads, accounts: accounts, random: random, logger: logger, now: now
        )
        router = Self.routes(
            uploads: uploads, sharing: sharing, pages: pages, access: access, accounts: accounts, requests: requests,
            webhooks: WebhookService(center: notices, accounts: accounts, random: random),
            mail: MailService(
                sharing: sharing, accounts: accounts, queue: mailQueue, preferences: preferences,
                limiter: AttemptLimiter(perHour: settings.mail.perHour, burst: settings.mail.perHour, now: now)),
            logs: ShareLogService(sharing: sharing, accounts: accounts), metrics: metrics,
            metricsToken: settings.metrics.token, readiness: ReadinessProbe(client: client, now: now))
    }

    /// The lifecycle sweeper of this gateway, to run inside `serve` (see ``LifecycleService``).
    public func makeLifecycleService() -> LifecycleService {
        LifecycleService(
            sweeper: LifecycleSweeper(
                sharing: sharing,
                lease: LifecycleLease(client: sharing.client, holder: Base64URL.random(bytes: 12, from: uploads.random), now: sharing.now)))
    }

    /// What the embedded store in this process served of a share's presigned GET (its `served` hook): the download
    /// log marks the download completed once every byte of the file went.
    public func storeServed(receipt: String, offset: Int64, count: Int64, size: Int64, complete: Bool) {
        receipts.served(receipt: receipt, offset: offset, count: count, size: size, complete: complete)
    }

    /// The webhook deliverer of this gateway, to run inside `serve` (see ``NoticeDelivery``).
    public func makeNoticeDelivery() -> NoticeDelivery {
        NoticeDelivery(
            deliverer: WebhookDeliverer(
                center: sharing.notices,
                lease: LifecycleLease(
                    client: sharing.client, holder: Base64URL.random(bytes: 12, from: uploads.random), prefix: WebhookStore.root + "lease/",
                    now: sharing.now), web: WebClient(connectTimeout: 5, requestTimeout: 10), passBudget: .seconds(10)),
            mail: sharing.settings.mail.host.map { host in
                let mail = sharing.settings.mail
                return (
                    MailQueue(client: sharing.client, settings: mail, logger: sharing.logger, now: sharing.now),
                    MailSender(
                        host: host, port: mail.port, security: MailSender.Security(rawValue: mail.security.rawValue) ?? .starttls, user: mail.user,
                        password: mail.password)
                )
            })
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
        let answer: HTTPLoopAnswer
        do {
            answer = try router.respondOnEventLoop(to: request, body: body, resolution: resolution)
        } catch {
            return .response(try finish(request, resolution, start: start) { throw error })
        }
        // Counted and logged once, with the answer that is sent: here, or on the worker that makes it.
        switch answer {
        case .response(let response): return .response(try finish(request, resolution, start: start) { response })
        case .onWorker(let work): return .onWorker { [self] in try finish(request, resolution, start: start, work) }
        }
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
            let refusal = Self.apiError(for: error, logger: logger)
            // The message is for people (programs match the code): in the request's language where the catalog has it.
            response = refusal.response(saying: pages.localizer.catalogs.written(refusal.wording, PageService.language(of: request)))
        }
        pages.localize(&response, for: request)
        if !response.headers.contains("x-content-type-options") { response.headers.append(.init("X-Content-Type-Options", "nosniff")) }
        pages.addPageSecurityHeaders(to: &response, path: request.path)
        let elapsed = ContinuousClock.now - start
        let route = router.pattern(of: resolution) ?? "unmatched"
        metrics.request(route: route, status: response.status.code, duration: elapsed)
        // The source is named, so that swift-log need not work it out from #fileID on every request.
        logger.info(
            .init(stringLiteral: Self.accessLine(method: request.method, route: route, status: response.status.code, elapsed: elapsed)),
            source: "Gateway")
        return response
    }

    /// Requests the server refused before they reached the gateway are answered in the API's JSON.
    public func protocolErrorResponse(_ error: HTTPProtocolError, request: HTTPRequest?) -> HTTPResponse {
        GatewayError(error.status.code, error.status.code == 404 ? .notFound : .badRequest, Wording(verbatim: error.message)).response(for: request)
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
        case let error as HTTPProtocolError: return GatewayError(error.status.code, .badRequest, Wording(verbatim: error.message))
        case let error as S3ClientError:
            return GatewayError(502, .storageError, "The object store refused the gateway's request: \(error.code, as: "code").")
        case let error as NetworkError: return GatewayError(503, .storageUnreachable, Wording(verbatim: error.description))
        default:
            logger.error("unexpected error: \(type(of: error))")
            return GatewayError(500, .internalError, "The gateway failed to answer this request.")
        }
    }
}
