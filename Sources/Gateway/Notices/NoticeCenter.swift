import Crypto
import DropgateAPI
import DropgateSettings
import Foundation
import HTTPWire
import Logging

/// Where events go: each is queued once for every endpoint that wants it (its owner's, and the deployment's), in the
/// bucket, by a create-only write keyed by the endpoint and the event's id. The id is the same wherever the same thing
/// is seen, so two gateways that see it queue one delivery, and a delivery outlives the gateway that queued it.
struct NoticeCenter: Sendable {
    /// A delivery waiting in the queue: the exact body to send (its signature covers these bytes), and when to try.
    struct Delivery: Codable, Sendable, Equatable {
        var event: String
        var type: NoticeEvent.Kind
        var payload: String
    }

    let store: WebhookStore
    let settings: GatewaySettings.Webhooks
    let logger: Logger
    let now: @Sendable () -> Date
    /// Mail: the queue, who asked for which notices, and where their addresses are (nil when no mail is sent).
    var mail: MailQueue? = nil
    var preferences: NoticePreferences? = nil
    var profiles: AccountProfiles? = nil
    var publicBase = ""

    /// The deliveries waiting, as `<endpoint>/<event>` under `.dropgate/webhooks/queue/`.
    var deliveries: RetryQueue<Delivery> {
        RetryQueue(client: store.client, prefix: WebhookStore.queuePrefix, firstRetry: settings.firstRetry, attempts: settings.attempts, now: now)
    }

    /// The deployment's endpoint, from settings, when there is one.
    var deploymentEndpoint: WebhookEndpoint? {
        guard let url = settings.url, let secret = settings.secret else { return nil }
        return WebhookEndpoint(
            id: WebhookEndpoint.deploymentID, url: url, events: settings.events.compactMap(NoticeEvent.Kind.init(rawValue:)), secret: secret,
            owner: nil, createdAt: 0)
    }

    /// The id of the event of `kind` about `subject` (a share id, a share and a download's slot, …): the same on every
    /// gateway, and nothing of the subject can be read back from it.
    static func eventID(_ kind: NoticeEvent.Kind, subject: String) -> String {
        "evt_" + Base64URL.encode(Array(SHA256.hash(data: Array("\(kind.rawValue)\u{0}\(subject)".utf8)).prefix(18)))
    }

    /// Queues the event for every endpoint that wants it, and the mail its owner asked for. `subject` and `data` are
    /// made only when someone listens, so an event nobody wants costs a download nothing but a cached lookup. A
    /// failure is logged and never fails what caused it.
    func publish(
        _ kind: NoticeEvent.Kind, subject makeSubject: @autoclosure () -> String, owner: String?, share: String? = nil,
        data makeData: @autoclosure () -> NoticeEvent.Details
    ) {
        let mails = owner != nil && mail?.settings.isEnabled == true
        var targets: [WebhookEndpoint] = []
        do {
            targets = try owner.map { try store.endpoints(of: $0) } ?? []
        } catch {
            logger.warning("could not read the webhooks of the \(kind.rawValue) event's owner: \(error)")
        }
        if let deployment = deploymentEndpoint { targets.append(deployment) }
        targets.removeAll { !$0.wants(kind) }
        guard mails || !targets.isEmpty else { return }
        let subject = makeSubject()
        let data = makeData()
        if let owner, mails { mailOwner(kind, subject: subject, owner: owner, share: share, data: data) }
        guard !targets.isEmpty else { return }
        do {
            let event = NoticeEvent(id: Self.eventID(kind, subject: subject), type: kind, timestamp: now(), data: data)
            let payload = String(decoding: try APIJSON.encode(event), as: UTF8.self)
            let delivery = Delivery(event: event.id, type: kind, payload: payload)
            for target in targets { try deliveries.enqueue(delivery, key: "\(target.id)/\(event.id)") }
        } catch {
            logger.warning("could not queue the \(kind.rawValue) event: \(error)")
        }
    }

    /// Queues the mail an owner asked for, once: a marker under `.dropgate/mail/sent/` is created first (for a
    /// download, one per share: only the first download mails), and only the call that created it queues the mail.
    func mailOwner(_ kind: NoticeEvent.Kind, subject: String, owner: String, share: String?, data: NoticeEvent.Details) {
        guard let mail, let preferences, let profiles, mail.settings.isEnabled else { return }
        do {
            let chosen = try share.flatMap { try preferences.mail(ofShare: $0) } ?? preferences.mail(of: owner)
            guard chosen.contains(kind),
                let address = profiles.profile(owner)?.email.flatMap({ try? MailMessage.address($0) }),
                let message = NoticeMail.message(kind, data: data, to: address, publicBase: publicBase)
            else { return }
            let once = kind == .shareDownloaded ? "first-download:\(share ?? subject)" : Self.eventID(kind, subject: subject)
            let marker = "notice-" + Self.eventID(kind, subject: once)
            guard try store.client.create(key: ".dropgate/mail/sent/" + marker, body: [], contentType: "text/plain") else { return }
            try mail.enqueue(message, key: marker)
        } catch {
            logger.warning("could not queue the \(kind.rawValue) mail: \(error)")
        }
    }
}
