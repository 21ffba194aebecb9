import DropgateAPI
import Foundation

/// A registered webhook endpoint: where events go, which ones, and the secret that signs them. A user's is kept at
/// `.dropgate/webhooks/endpoints/<id>.json` (with an index entry under the account); the deployment's comes from
/// settings and is never stored.
struct WebhookEndpoint: Codable, Sendable, Equatable {
    var id: String
    var url: String
    /// The events it gets; empty for all.
    var events: [NoticeEvent.Kind]
    /// `whsec_` and base64 of the signing key.
    var secret: String
    /// The account it is for; nil for the deployment's.
    var owner: String?
    /// Seconds since 1970.
    var createdAt: Int64
    /// Why it was disabled (deliveries failed for hours), if it was; it gets nothing until enabled again.
    var disabled: String? = nil

    /// The id of the deployment's endpoint (from settings).
    static let deploymentID = "deployment"

    func wants(_ kind: NoticeEvent.Kind) -> Bool { disabled == nil && (events.isEmpty || events.contains(kind)) }

    /// As its owner sees it: everything but the secret, with its last deliveries.
    func summary(log: [WebhookAttempt]) -> WebhookSummary {
        WebhookSummary(
            id: id, url: url, events: events.map(\.rawValue), createdAt: Date(timeIntervalSince1970: TimeInterval(createdAt)), disabled: disabled,
            deliveries: log.map(\.wire))
    }
}

/// One attempt to deliver an event to an endpoint, as its log keeps it (the last ``WebhookLog/kept``).
struct WebhookAttempt: Codable, Sendable, Equatable {
    var event: String
    var type: NoticeEvent.Kind
    /// Milliseconds since 1970.
    var at: Int64
    /// The endpoint's HTTP status, if it answered.
    var status: Int?
    /// Why the attempt failed, in plain words, when it did.
    var error: String?
    var attempt: Int

    var wire: WebhookDelivery {
        WebhookDelivery(
            event: event, type: type.rawValue, at: Date(timeIntervalSince1970: TimeInterval(at) / 1_000), status: status, error: error,
            attempt: attempt)
    }
}
