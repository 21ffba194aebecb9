import Foundation

/// `POST /api/me/webhooks`: an endpoint to send events to.
public struct WebhookCreate: Codable, Sendable, Equatable {
    /// `https://…` (plain `http` only where `webhooks.allowHTTP` is set).
    public var url: String?
    /// Event types (`share.downloaded`, …); none or empty for all.
    public var events: [String]?

    public init(url: String?, events: [String]? = nil) {
        self.url = url
        self.events = events
    }

    public static let shape = StrictJSON.Shape.object(["url": .value, "events": .value])
}

/// A webhook endpoint as its owner sees it, with its last deliveries (newest first).
public struct WebhookSummary: Codable, Sendable, Equatable {
    public var id: String
    public var url: String
    public var events: [String]
    public var createdAt: Date
    /// Why it gets nothing now, if it was disabled.
    public var disabled: String?
    public var deliveries: [WebhookDelivery]

    public init(id: String, url: String, events: [String], createdAt: Date, disabled: String?, deliveries: [WebhookDelivery]) {
        self.id = id
        self.url = url
        self.events = events
        self.createdAt = createdAt
        self.disabled = disabled
        self.deliveries = deliveries
    }
}

/// One delivery attempt: the event, when, and what the endpoint answered (or why it could not be reached).
public struct WebhookDelivery: Codable, Sendable, Equatable {
    public var event: String
    public var type: String
    public var at: Date
    public var status: Int?
    public var error: String?
    public var attempt: Int

    public init(event: String, type: String, at: Date, status: Int?, error: String?, attempt: Int) {
        self.event = event
        self.type = type
        self.at = at
        self.status = status
        self.error = error
        self.attempt = attempt
    }
}

/// The answer to `POST /api/me/webhooks`: the endpoint, and its signing secret (shown this once).
public struct WebhookCreated: Codable, Sendable, Equatable {
    public var webhook: WebhookSummary
    public var secret: String

    public init(webhook: WebhookSummary, secret: String) {
        self.webhook = webhook
        self.secret = secret
    }
}

/// `GET /api/me/webhooks`: the user's endpoints, and every event type one may pick.
public struct WebhookList: Codable, Sendable, Equatable {
    public var webhooks: [WebhookSummary]
    public var events: [String]

    public init(webhooks: [WebhookSummary], events: [String]) {
        self.webhooks = webhooks
        self.events = events
    }
}

/// `POST /api/shares/{id}/mail`: the share's link, mailed to people (never the files).
public struct ShareMail: Codable, Sendable, Equatable {
    /// Their addresses (`name@example.org`), at most `mail.maxRecipients`.
    public var to: [String]?
    /// A message from the sender, up to 2,000 characters.
    public var message: String?

    public init(to: [String]?, message: String? = nil) {
        self.to = to
        self.message = message
    }

    public static let shape = StrictJSON.Shape.object(["to": .value, "message": .value])
}

/// `GET` and `PUT /api/me/notices`: which events mail the signed-in user.
public struct NoticeSettings: Codable, Sendable, Equatable {
    /// The events that mail them.
    public var mail: [String]?
    /// Every event that can (in answers only).
    public var mailable: [String]?
    /// Whether this gateway sends mail at all (in answers only).
    public var mailEnabled: Bool?

    public init(mail: [String]?, mailable: [String]? = nil, mailEnabled: Bool? = nil) {
        self.mail = mail
        self.mailable = mailable
        self.mailEnabled = mailEnabled
    }

    public static let shape = StrictJSON.Shape.object(["mail": .value])
}
