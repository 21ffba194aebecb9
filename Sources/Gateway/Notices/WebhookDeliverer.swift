import CurlHTTP
import DropgateAPI
import DropgateSettings
import Foundation
import HTTPWire
import Logging

/// Delivers the queued events: at least once, with the same `webhook-id` every time, signed as Standard Webhooks
/// says. Only the holder of the queue's lease delivers, so with many gateways each attempt is made once. A failed
/// attempt (no answer in 10 s, or not 2xx) is tried again after `webhooks.firstRetry` seconds, then four times as
/// long each time, up to six hours; after `webhooks.attempts` the delivery is given up and its endpoint disabled.
/// Redirects are not followed, and the target is checked against SSRF before every attempt.
struct WebhookDeliverer: Sendable {
    let center: NoticeCenter
    let lease: LifecycleLease
    let web: WebClient
    /// The most time one pass spends; the next carries on.
    let passBudget: Duration

    var store: WebhookStore { center.store }
    var settings: GatewaySettings.Webhooks { center.settings }
    var logger: Logger { center.logger }

    var queue: RetryQueue<NoticeCenter.Delivery> { center.deliveries }

    /// One pass: every delivery that is due, attempted once. The number attempted.
    @discardableResult
    func deliverDue() throws -> Int {
        try queue.pass(lease: lease, leaseSeconds: max(15, 3 * settings.interval), budget: passBudget) { key, delivery, attempt in
            guard let slash = key.firstIndex(of: "/") else { return .dropped }
            let endpointID = String(key[..<slash])
            let endpoint = endpointID == WebhookEndpoint.deploymentID ? center.deploymentEndpoint : try store.endpoint(endpointID)
            guard let endpoint, endpoint.disabled == nil else { return .dropped }  // deleted or disabled: nothing more goes there
            let time = center.now()
            let outcome = send(delivery, to: endpoint, at: time)
            try store.record(
                WebhookAttempt(
                    event: delivery.event, type: delivery.type, at: Int64(time.timeIntervalSince1970 * 1_000), status: outcome.status,
                    error: outcome.error, attempt: attempt), endpoint: endpoint.id)
            return outcome.error.map { .failed($0) } ?? .done
        } gaveUp: { key, delivery, attempts, reason in
            let endpointID = String(key.prefix { $0 != "/" })
            let endpoint = endpointID == WebhookEndpoint.deploymentID ? center.deploymentEndpoint : try store.endpoint(endpointID)
            if let endpoint { try disable(endpoint, after: delivery, attempts: attempts, reason: reason) }
        }
    }

    /// One POST: its status, and why it failed when it did (never the body or the secret).
    func send(_ delivery: NoticeCenter.Delivery, to endpoint: WebhookEndpoint, at time: Date) -> (status: Int?, error: String?) {
        guard let key = WebhookSignature.key(of: endpoint.secret) else { return (nil, "The endpoint's secret is not a whsec_ secret.") }
        let target: WebhookTarget
        do {
            target = try WebhookTarget.check(endpoint.url, allowHTTP: settings.allowHTTP, allowed: settings.allowedTargets)
        } catch {
            return (nil, "\(error)")
        }
        let body = Array(delivery.payload.utf8)
        let timestamp = Int64(time.timeIntervalSince1970)
        var call = HTTPCall(
            method: "POST", url: endpoint.url,
            headers: [
                .init("Content-Type", "application/json"), .init("User-Agent", "Dropgate-Webhooks/1"), .init("webhook-id", delivery.event),
                .init("webhook-timestamp", String(timestamp)),
                .init("webhook-signature", WebhookSignature.sign(id: delivery.event, timestamp: timestamp, body: body, key: key)),
            ], body: .bytes(body), sink: .memory(limit: 64 * 1024))
        call.pinnedAddress = target.pin
        do {
            let response = try web.send(call)
            if (200..<300).contains(response.status) { return (response.status, nil) }
            let moved = (300..<400).contains(response.status) ? " (redirects are not followed)" : ""
            return (response.status, "The endpoint answered \(response.status)\(moved).")
        } catch {
            return (nil, "The endpoint could not be reached: \(error)")
        }
    }

    /// Disables an endpoint whose delivery failed every attempt; its owner sees why in `/me`.
    func disable(_ endpoint: WebhookEndpoint, after delivery: NoticeCenter.Delivery, attempts: Int, reason: String) throws {
        guard endpoint.owner != nil, var current = try store.endpoint(endpoint.id) else {
            logger.error("webhooks: the deployment's endpoint failed \(attempts) times for \(delivery.event): \(reason)")
            return
        }
        current.disabled =
            "Disabled after \(attempts) failed attempts to deliver \(delivery.type.rawValue) (\(delivery.event)); the last: \(reason)"
        try store.save(current)
        tellOwner(current)
        logger.warning("webhooks: endpoint \(endpoint.id) disabled after \(attempts) failed attempts")
    }
}

extension WebhookDeliverer {
    /// Mails the owner of a disabled endpoint, where the gateway sends mail and knows their address (once per disabling).
    func tellOwner(_ endpoint: WebhookEndpoint) {
        guard let owner = endpoint.owner, let mail = center.mail, mail.settings.isEnabled, let profiles = center.profiles,
            let address = profiles.profile(owner)?.email.flatMap({ try? MailMessage.address($0) })
        else { return }
        let message = MailMessage(
            to: [address], subject: "Your webhook was disabled",
            paragraphs: [
                .init(text: "Dropgate stopped sending events to \(endpoint.url): \(endpoint.disabled ?? "its deliveries failed for hours.")"),
                .init(text: "Enable it again on your page once it answers:", link: "\(center.publicBase)/me"),
            ])
        do {
            try mail.enqueue(message, key: "webhook-disabled-\(endpoint.id)-\(Int64(center.now().timeIntervalSince1970))")
        } catch {
            logger.warning("webhooks: could not queue the mail about disabled endpoint \(endpoint.id): \(error)")
        }
    }
}
