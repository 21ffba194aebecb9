import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

/// `/api/me/webhooks`: a signed-in user's webhook endpoints (or a personal token's with the `shares` scope). Each gets
/// the events of the user's shares and requests that it picks, signed with its own secret, shown once.
struct WebhookService: Sendable {
    let center: NoticeCenter
    let accounts: AccountService
    let random: RandomBytes

    var store: WebhookStore { center.store }

    /// `GET /api/me/webhooks`: the user's endpoints with their last deliveries, and every event type.
    func list(_ request: HTTPRequest) throws -> HTTPResponse {
        let owner = try accounts.shareOwner(request, changing: false)
        let summaries = try store.endpoints(of: owner, fresh: true).sorted { $0.createdAt < $1.createdAt }.map {
            $0.summary(log: try store.log($0.id))
        }
        var response = HTTPResponse.json(WebhookList(webhooks: summaries, events: NoticeEvent.Kind.allCases.map(\.rawValue)), status: 200)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `POST /api/me/webhooks`: a new endpoint, and its secret (shown this once).
    func create(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let owner = try accounts.shareOwner(request, changing: true)
        let bytes = try body.readAll(limit: 8 * 1024)
        try GatewayError.checkStrict(bytes, WebhookCreate.shape)
        guard let input = try? APIJSON.decode(WebhookCreate.self, from: bytes), let url = input.url else {
            throw GatewayError.badRequest(.invalidWebhook, #"A webhook is {"url": "https://…", "events": ["share.downloaded", …]}."#)
        }
        let events = try (input.events ?? []).map { name in
            guard let kind = NoticeEvent.Kind(rawValue: name) else {
                throw GatewayError.badRequest(
                    .invalidWebhook,
                    "\(name, as: "name") is not an event; they are \(NoticeEvent.Kind.allCases.map(\.rawValue).joined(separator: ", "), as: "choices")."
                )
            }
            return kind
        }
        try Self.checkShape(url, settings: center.settings)
        let existing = try store.endpoints(of: owner, fresh: true)
        guard existing.count < center.settings.maxPerUser else {
            throw GatewayError(
                409, .tooManyWebhooks,
                "This account has \(existing.count, as: "count") webhooks, the most it may keep (webhooks.maxPerUser): delete one first.")
        }
        let endpoint = WebhookEndpoint(
            id: Base64URL.random(bytes: 16, from: random), url: url, events: Array(Set(events)).sorted { $0.rawValue < $1.rawValue },
            secret: WebhookSignature.newSecret(), owner: owner, createdAt: Int64(center.now().timeIntervalSince1970))
        try store.save(endpoint)
        return HTTPResponse.json(WebhookCreated(webhook: endpoint.summary(log: []), secret: endpoint.secret), status: 201)
    }

    /// What registration can tell without a lookup: the URL's shape, and an address literal that may not be a target
    /// (a name is checked where it resolves, on every attempt).
    static func checkShape(_ url: String, settings: GatewaySettings.Webhooks) throws {
        do {
            let (host, _) = try WebhookTarget.parse(url, allowHTTP: settings.allowHTTP)
            let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
            let literal = IPAddressText.ipv4Bytes(bare) ?? IPAddressText.ipv6Bytes(bare)
            let allowed = Set(settings.allowedTargets.map { $0.lowercased() })
            if let literal, !allowed.contains(bare), let why = WebhookTarget.forbidden(literal) {
                throw WebhookTarget.Refusal(
                    description: "\(bare, as: "address") is \(why, as: "why"): refused (webhooks.allowedTargets can name it).")
            }
            if bare == "localhost" || bare.hasSuffix(".localhost"), !allowed.contains(bare) {
                throw WebhookTarget.Refusal(description: "\(bare, as: "address") is this machine: refused (webhooks.allowedTargets can name it).")
            }
        } catch let refusal as WebhookTarget.Refusal {
            throw GatewayError.badRequest(.invalidWebhook, refusal.wording)
        }
    }

    /// `DELETE /api/me/webhooks/{id}`: the endpoint, its queue and its log go.
    func delete(_ request: HTTPRequest) throws -> HTTPResponse {
        let endpoint = try owned(request)
        try store.delete(endpoint)
        return HTTPResponse(status: 204)
    }

    /// `POST /api/me/webhooks/{id}/enable`: a disabled endpoint gets events again (those from now on).
    func enable(_ request: HTTPRequest) throws -> HTTPResponse {
        var endpoint = try owned(request)
        endpoint.disabled = nil
        try store.save(endpoint)
        return HTTPResponse.json(endpoint.summary(log: try store.log(endpoint.id)), status: 200)
    }

    func owned(_ request: HTTPRequest) throws -> WebhookEndpoint {
        let owner = try accounts.shareOwner(request, changing: true)
        let id = request.pathParameters["id"] ?? ""
        guard let endpoint = try store.endpoint(id), endpoint.owner == owner else {
            throw GatewayError(404, .notFound, "You have no webhook \(id, as: "id").")
        }
        return endpoint
    }
}
