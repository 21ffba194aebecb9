import Foundation

extension GatewaySettings {
    /// The settings of notices: signed webhooks and mail.
    static let noticeFields: [SettingsField] = [
        .optionalURL("webhooks.url", \.webhooks.url, "The deployment's webhook endpoint: it gets the events of every share and request."),
        .secret("webhooks.secret", \.webhooks.secret, "Its Standard Webhooks signing secret (`whsec_…`)."),
        .list("webhooks.events", \.webhooks.events, "The events the deployment's endpoint gets (empty: all)."),
        .boolean("webhooks.allowHTTP", \.webhooks.allowHTTP, "Allow plain `http://` webhook targets."),
        .list(
            "webhooks.allowedTargets", \.webhooks.allowedTargets,
            "Hosts or addresses a webhook may reach though loopback, private or link-local (none by default)."),
        .integer(
            "webhooks.firstRetry", \.webhooks.firstRetry, 1...3_600, "Seconds before a failed delivery's first retry; each next waits 4 times longer."
        ),
        .integer("webhooks.attempts", \.webhooks.attempts, 1...20, "Attempts of one delivery; then it is given up and its endpoint disabled."),
        .integer("webhooks.interval", \.webhooks.interval, 1...3_600, "Seconds between passes over the delivery queue."),
        .integer("webhooks.maxPerUser", \.webhooks.maxPerUser, 0...100, "Webhook endpoints one user may register."),
        .optionalText("mail.host", \.mail.host, "The SMTP server that sends mail; unset, every mail feature is hidden."),
        .port("mail.port", \.mail.port, "Its port (587 for STARTTLS, 465 for TLS)."),
        .choice("mail.security", \.mail.security, "`starttls` (required upgrade), `tls` (from the first byte) or `none` (a local relay only)."),
        .optionalText("mail.user", \.mail.user, "The SMTP user, when the server asks for one."),
        .secret("mail.password", \.mail.password, "The SMTP password."),
        .optionalText("mail.from", \.mail.from, "The address mail comes from (`Dropgate <drop@example.org>` or `drop@example.org`)."),
        .integer("mail.maxRecipients", \.mail.maxRecipients, 1...100, "Recipients of one mail of a link."),
        .integer("mail.firstRetry", \.mail.firstRetry, 1...3_600, "Seconds before a failed send's first retry; each next waits 4 times longer."),
        .integer("mail.perHour", \.mail.perHour, 0...10_000, "Mails of links one user (or client address) may send an hour."),
    ]
}
