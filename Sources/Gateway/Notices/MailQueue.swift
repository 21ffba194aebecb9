import CurlHTTP
import DropgateAPI
import DropgateSettings
import Foundation
import HTTPWire
import Logging
import S3Client

/// Mail waiting to be sent, in the bucket (`.dropgate/mail/queue/<key>`), so a mail survives a restart and a failed
/// send never fails the request that caused it: the queue's lease holder sends each, and a failed send is tried again
/// `mail.firstRetry` seconds later, then four times as long each time (up to six hours), 8 times in all. A key named after what caused the
/// mail (an event's id) makes it one mail however many gateways saw it.
struct MailQueue: Sendable {
    struct Item: Codable, Sendable, Equatable {
        var message: MailMessage
        var attempts: Int
        /// Milliseconds since 1970: not before.
        var nextAt: Int64
    }

    static let prefix = ".dropgate/mail/queue/"
    static let attempts = 8

    let client: S3Client
    let settings: GatewaySettings.Mail
    let logger: Logger
    let now: @Sendable () -> Date

    /// Queues a mail under `key` unless one is queued (or was) under it; whether this call queued it.
    @discardableResult
    func enqueue(_ message: MailMessage, key: String) throws -> Bool {
        try client.create(key: Self.prefix + key, body: try APIJSON.encode(Item(message: message, attempts: 0, nextAt: 0)))
    }

    /// The From header and the envelope's address of `mail.from` (`Name <address>` or `address`).
    static func sender(_ setting: String) throws -> (header: String, address: String) {
        let text = setting.trimmingCharacters(in: .whitespaces)
        guard let open = text.lastIndex(of: "<"), text.hasSuffix(">") else {
            let address = try MailMessage.address(text)
            return (address, address)
        }
        let address = try MailMessage.address(String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
        let name = text[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
        guard !name.isEmpty else { return ("<\(address)>", address) }
        let shown = MailMessage.headerWord(name)
        let quoted =
            shown.hasPrefix("=?")
            ? shown : "\"" + shown.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        return ("\(quoted) <\(address)>", address)
    }

    /// One pass: every queued mail that is due, sent once; the number attempted.
    func sendDue(sender: MailSender, lease: LifecycleLease, budget: Duration) throws -> Int {
        let listed = try client.listObjects(prefix: Self.prefix, maxKeys: 1_000).objects
        guard !listed.isEmpty, let from = settings.from, try lease.acquire(for: 60) else { return 0 }
        let (header, address) = try Self.sender(from)
        let started = ContinuousClock.now
        var attempted = 0
        for object in listed where ContinuousClock.now - started < budget {
            guard let bytes = try? client.getObject(key: object.key).bytes, var item = try? APIJSON.decode(Item.self, from: bytes) else { continue }
            let time = now()
            guard item.nextAt <= Int64(time.timeIntervalSince1970 * 1_000) else { continue }
            attempted += 1
            item.attempts += 1
            let id = "\(Base64URL.random(bytes: 12))@\(address.split(separator: "@").last ?? "dropgate")"
            let message = item.message.bytes(from: header, messageID: id, date: time, boundary: "dropgate-" + Base64URL.random(bytes: 12))
            do {
                try sender.send(message, from: address, to: item.message.to)
                try client.deleteObject(key: object.key)
            } catch {
                if item.attempts >= Self.attempts {
                    logger.error("mail: gave up on a mail to \(item.message.to.count) recipient(s) after \(item.attempts) attempts: \(error)")
                    try client.deleteObject(key: object.key)
                } else {
                    logger.warning("mail: sending failed (attempt \(item.attempts)), trying again later: \(error)")
                    let wait = WebhookDeliverer.backoff(after: item.attempts, first: settings.firstRetry)
                    item.nextAt = Int64(time.timeIntervalSince1970 * 1_000) + wait * 1_000
                    _ = try client.putObject(key: object.key, body: try APIJSON.encode(item), contentType: "application/json")
                }
            }
        }
        return attempted
    }
}
