import Foundation

extension GatewaySettings {
    /// Signed webhooks (Standard Webhooks): the deployment's own endpoint, and how every endpoint is reached and retried.
    public struct Webhooks: Sendable {
        /// The deployment's endpoint, which gets the events of every share and request.
        public var url: String?
        /// Its signing secret, `whsec_` and base64 of 24 to 64 bytes.
        public var secret: String?
        /// The events it gets; empty for all.
        public var events: [String] = []
        /// Whether targets may be plain `http://` (never by default).
        public var allowHTTP = false
        /// Host names or addresses a target may be, or resolve to, though loopback, private or link-local.
        public var allowedTargets: [String] = []
        /// Seconds before the first retry; each next one waits four times longer, up to six hours.
        public var firstRetry = 5
        /// Attempts of one delivery before it is given up and its endpoint disabled.
        public var attempts = 8
        /// Seconds between passes over the queue.
        public var interval = 2
        /// Endpoints one user may register.
        public var maxPerUser = 10
    }

    /// How the gateway sends mail: an SMTP server (libcurl speaks it). With no host, every mail feature is hidden.
    public struct Mail: Sendable {
        public enum Security: String, Sendable, CaseIterable {
            case starttls, tls, none
        }

        public var host: String?
        public var port = 587
        public var security = Security.starttls
        public var user: String?
        public var password: String?
        /// The From address.
        public var from: String?
        public var maxRecipients = 10
        public var perHour = 20
        /// Seconds before a failed send's first retry; each next waits four times longer, up to six hours.
        public var firstRetry = 30

        /// Whether mail can be sent at all.
        public var isEnabled: Bool { host != nil && from != nil }
    }
}
