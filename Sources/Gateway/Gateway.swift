import CurlHTTP
import DropgateAPI
import Foundation
import HTTPServer
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
        let presigner = S3Presigner(endpoint: publicEndpoint, credentials: client.configuration.credentials, now: now)
        let core = GatewayCore(
            settings: settings, client: client, presigner: presigner, shares: ShareStore(client: client), pages: StaticFiles(folder: webDirectory),
            metrics: metrics, logger: logger, now: now, secret: settings.gateway.secret ?? Base64URL.random(bytes: 32, from: random),
            sniffer: ContentSniffer(), random: random)
        var router = Router()
        router.add("POST", "/api/uploads") { request, body in try core.createUpload(request, body: body) }
        router.add("POST", "/api/uploads/{id}/complete") { request, body in try core.completeUpload(request, body: body) }
        router.add("DELETE", "/api/shares/{id}") { request, _ in try core.revokeShare(request) }
        router.add("GET", "/api/shares/{id}") { request, _ in try core.describeShare(request) }
        router.add("GET", "/s/{id}") { request, _ in core.viewPage(request) }
        router.add("GET", "/s/{id}/raw") { request, _ in core.rawDownload(request) }
        router.add("GET", "/healthz") { _, _ in HTTPResponse.json(Status(status: "ok"), status: 200) }
        let readiness = ReadinessProbe(client: client, now: now)
        router.add("GET", "/readyz") { _, _ in
            switch readiness.outcome() {
            case .ready: HTTPResponse.json(Status(status: "ready"), status: 200)
            case .notReady(let reason): GatewayError(503, "not_ready", reason).response(for: nil)
            }
        }
        router.add("GET", "/api/limits") { _, _ in HTTPResponse.json(core.limits, status: 200) }
        router.add("GET", "/metrics") { _, _ in
            HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.text)
        }
        router.add("GET", "/") { request, _ in try core.staticFile("index.html", request: request) }
        router.add("GET", "/static/{name}") { request, _ in try core.staticFile(request.pathParameters["name"] ?? "", request: request) }
        router.fallback = HTTPHandlerFunction { request, _ in
            throw GatewayError(404, "not_found", "There is nothing at \(request.method) \(request.path).")
        }
        self.core = core
        self.router = router
    }

    public func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let start = ContinuousClock.now
        var response = answer(request, body: body)
        if response.headers["x-content-type-options"] == nil { response.headers.set("X-Content-Type-Options", "nosniff") }
        core.addPageSecurityHeaders(to: &response)
        let elapsed = ContinuousClock.now - start
        let route = router.pattern(matching: request) ?? "unmatched"
        core.metrics.request(route: route, status: response.status.code, duration: elapsed)
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        core.logger.info("\(request.method) \(route) \(response.status.code) \(String(format: "%.1f", milliseconds))ms")
        return response
    }

    /// Requests the server refused before they reached the gateway are answered in the API's JSON.
    public func protocolErrorResponse(_ error: HTTPProtocolError, request: HTTPRequest?) -> HTTPResponse {
        GatewayError(error.status.code, error.status.code == 404 ? "not_found" : "bad_request", error.message).response(for: request)
    }

    func answer(_ request: HTTPRequest, body: HTTPRequestBody) -> HTTPResponse {
        do {
            return try router.respond(to: request, body: body)
        } catch {
            return Self.apiError(for: error, logger: core.logger).response(for: request)
        }
    }

    /// Every error a route can throw, as the API's error: the gateway's own as it is, the store's in the
    /// gateway's words, anything else as a 500 that reveals nothing (and is logged by type).
    static func apiError(for error: any Error, logger: Logger) -> GatewayError {
        switch error {
        case let error as GatewayError: return error
        case let error as HTTPProtocolError: return GatewayError(error.status.code, "bad_request", error.message)
        case let error as S3ClientError:
            return GatewayError(502, "storage_error", "The object store refused the gateway's request: \(error.code).")
        case let error as NetworkError: return GatewayError(503, "storage_unreachable", error.description)
        default:
            logger.error("unexpected error: \(type(of: error))")
            return GatewayError(500, "internal_error", "The gateway failed to answer this request.")
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

    /// Refuses a request without a valid bearer token when upload tokens are configured.
    func requireUploadToken(_ request: HTTPRequest) throws {
        guard !settings.auth.uploadTokens.isEmpty else { return }
        guard let header = request.headers["authorization"], header.hasPrefix("Bearer ") else {
            throw GatewayError(401, "unauthorized", "Uploading needs an upload token: send Authorization: Bearer <token>.")
        }
        let given = Array(header.dropFirst("Bearer ".count).utf8)
        let valid = settings.auth.uploadTokens.contains { ConstantTime.equals(Array($0.utf8), given) }
        guard valid else { throw GatewayError(401, "unauthorized", "The upload token is not valid.") }
    }

    /// The seconds a presigned URL may live: `wanted`, or less when temporary credentials expire sooner.
    ///
    /// - Returns: the seconds, and whether they were cut short by the session token's expiry.
    func presignLifetime(_ wanted: Int) throws -> (seconds: Int, clamped: Bool) {
        guard let expiry = settings.sessionTokenExpiry else { return (wanted, false) }
        let left = Int(expiry.timeIntervalSince(now()))
        guard left > 0 else {
            throw GatewayError(503, "credentials_expired", "The gateway's temporary storage credentials have expired; renew them and restart it.")
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
