import DropgateAPI
import HTTPServer
import HTTPWire

extension Gateway {
    /// The routes, each with the service it uses.
    static func routes(
        uploads: UploadService, sharing: ShareService, pages: PageService, access: AccessGuard, accounts: AccountService,
        requests: RequestService, webhooks: WebhookService, mail: MailService, logs: ShareLogService, metrics: GatewayMetrics,
        metricsToken: String?, readiness: ReadinessProbe
    ) -> Router {
        var router = Router()
        router.addOnEventLoop("POST", "/api/uploads") { request, body in try uploads.declareUpload(request, body: body) }
        router.add("POST", "/api/uploads/{id}/complete") { request, body in try uploads.completeUpload(request, body: body) }
        router.add("POST", "/api/uploads/{id}/thumbnail") { request, body in try uploads.planThumbnail(request, body: body) }
        router.add("GET", "/api/uploads/{id}/parts") { request, _ in try uploads.storedParts(request) }
        router.add("POST", "/api/uploads/{id}/parts") { request, body in try uploads.refreshParts(request, body: body) }
        router.add("DELETE", "/api/uploads/{id}") { request, _ in try uploads.cancelUpload(request) }
        router.add("GET", "/api/limits", onEventLoop: true) { _, _ in HTTPResponse.json(uploads.limits, status: 200) }
        router.add("GET", "/api/usage") { request, _ in try access.usage(request) }
        router.add("DELETE", "/api/shares/{id}") { request, _ in
            let byOwner = Self.bearer(request).map { $0.hasPrefix("dgp.") } ?? true
            return try byOwner ? accounts.revokeOwnShare(request) : sharing.revokeShare(request)
        }
        router.add("GET", "/api/shares/{id}") { request, _ in try sharing.describeShare(request) }
        router.add("PATCH", "/api/shares/{id}") { request, body in try accounts.editShare(request, body: body) }
        router.add("GET", "/api/shares/{id}/unlock") { request, _ in try sharing.unlockInfo(request) }
        router.add("POST", "/api/shares") { request, body in try sharing.createCollection(request, body: body) }
        router.add("GET", "/auth/login") { request, _ in accounts.signIn(request) }
        router.add("GET", "/auth/callback") { request, _ in accounts.callback(request) }
        router.add("POST", "/auth/logout") { request, _ in try accounts.signOut(request) }
        router.add("POST", "/auth/logout-everywhere") { request, _ in try accounts.signOutEverywhere(request) }
        router.add("GET", "/auth/cli") { request, _ in accounts.commandLineConsent(request) }
        router.add("POST", "/auth/cli") { request, body in try accounts.commandLineToken(request, body: body) }
        router.add("GET", "/api/me") { request, _ in accounts.me(request) }
        router.add("GET", "/api/me/shares") { request, _ in try accounts.myShares(request) }
        router.add("POST", "/api/me/tokens") { request, body in try accounts.createToken(request, body: body) }
        router.add("GET", "/api/me/tokens") { request, _ in try accounts.listTokens(request) }
        router.add("DELETE", "/api/me/tokens/{id}") { request, _ in try accounts.revokeToken(request) }
        router.add("GET", "/api/me/webhooks") { request, _ in try webhooks.list(request) }
        router.add("GET", "/api/me/notices") { request, _ in try mail.notices(request) }
        router.add("PUT", "/api/me/notices") { request, body in try mail.setNotices(request, body: body) }
        router.add("POST", "/api/shares/{id}/mail") { request, body in try mail.mailShare(request, body: body) }
        router.add("GET", "/api/shares/{id}/log") { request, _ in try logs.log(request) }
        router.add("GET", "/api/shares/{id}/notices") { request, body in try mail.shareNotices(request, body: body) }
        router.add("PUT", "/api/shares/{id}/notices") { request, body in try mail.shareNotices(request, body: body) }
        router.add("POST", "/api/me/webhooks") { request, body in try webhooks.create(request, body: body) }
        router.add("DELETE", "/api/me/webhooks/{id}") { request, _ in try webhooks.delete(request) }
        router.add("POST", "/api/me/webhooks/{id}/enable") { request, _ in try webhooks.enable(request) }
        router.add("GET", "/api/admin/users") { request, _ in try accounts.adminUsers(request) }
        router.add("GET", "/api/admin/shares") { request, _ in try accounts.adminShares(request) }
        router.add("POST", "/api/admin/users/{id}/disable") { request, body in try accounts.adminSetDisabled(request, body: body, disabled: true) }
        router.add("POST", "/api/admin/users/{id}/enable") { request, body in try accounts.adminSetDisabled(request, body: body, disabled: false) }
        router.add("GET", "/s/{id}") { request, _ in sharing.viewPage(request) }
        router.add("POST", "/s/{id}/unlock") { request, body in try sharing.unlockShare(request, body: body) }
        router.add("GET", "/s/{id}/raw") { request, _ in sharing.rawDownload(request) }
        router.add("GET", "/s/{id}/qr.svg") { request, _ in try sharing.qrCode(request) }
        router.add("GET", "/s/{id}/{n}") { request, _ in sharing.filePage(request) }
        router.add("GET", "/s/{id}/{n}/raw") { request, _ in sharing.rawDownload(request) }
        router.add("GET", "/s/{id}/{n}/thumb") { request, _ in sharing.thumbnail(request) }
        router.add("GET", "/oembed") { request, _ in try sharing.oEmbed(request) }
        router.add("POST", "/api/requests") { request, body in try requests.create(request, body: body) }
        router.add("GET", "/api/requests/{id}") { request, _ in try requests.show(request) }
        router.add("POST", "/api/requests/{id}/uploads") { request, body in try requests.declare(request, body: body) }
        router.add("POST", "/api/requests/{id}/unlock") { request, body in try requests.unlock(request, body: body) }
        router.add("POST", "/api/requests/{id}/submissions") { request, body in try requests.submit(request, body: body) }
        router.add("GET", "/api/requests/{id}/submissions") { request, _ in try requests.detail(request) }
        router.add("GET", "/api/requests/{id}/submissions/{sid}/files/{n}") { request, _ in try requests.download(request) }
        router.add("POST", "/api/requests/{id}/close") { request, _ in try requests.close(request) }
        router.add("DELETE", "/api/requests/{id}/submissions/{sid}") { request, _ in try requests.deleteSubmission(request) }
        router.add("GET", "/api/me/requests") { request, _ in try requests.mine(request) }
        // The upload page, which request.js makes the request's.
        router.add("GET", "/r/{id}") { request, _ in try pages.staticFile("index.html", request: request) }
        router.add("GET", "/language") { request, _ in try pages.chooseLanguage(request) }
        router.add("GET", "/robots.txt", onEventLoop: true) { _, _ in ShareService.robots }
        let healthy = HTTPResponse.json(Status(status: "ok"), status: 200)
        router.add("GET", "/healthz", onEventLoop: true) { _, _ in healthy }
        router.add("GET", "/readyz") { _, _ in
            switch readiness.outcome() {
            case .ready: HTTPResponse.json(Status(status: "ready"), status: 200)
            case .notReady(let reason): GatewayError(503, .notReady, Wording(verbatim: reason)).response(for: nil)
            }
        }
        router.add("GET", "/metrics") { request, _ in
            guard let token = metricsToken, let given = Self.bearer(request), ConstantTime.equals(Array(given.utf8), Array(token.utf8)) else {
                throw GatewayError(
                    404, .notFound, "Metrics are served on their own address (metrics.host, metrics.port), or here with metrics.token.")
            }
            return metrics.response
        }
        router.add("GET", "/") { request, _ in try pages.staticFile("index.html", request: request) }
        router.add("GET", "/me") { request, _ in try pages.staticFile("me.html", request: request) }
        router.add("GET", "/admin") { request, _ in try pages.staticFile("admin.html", request: request) }
        router.add("GET", "/static/{name}") { request, _ in try pages.staticFile(request.pathParameters["name"] ?? "", request: request) }
        router.fallback = HTTPHandlerFunction { request, _ in
            throw GatewayError(404, .notFound, "There is nothing at \(request.method, as: "method") \(request.path, as: "path").")
        }
        return router
    }
}
