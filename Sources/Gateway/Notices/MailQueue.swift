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
    static let prefix = ".dropgate/mail/queue/"
    static let attempts = 8

    let client: S3Client
    let settings: GatewaySettings.Mail
    let logger: Logger
    let now: @Sendable () -> Date

    var queue: RetryQueue<MailMessage> {
        RetryQueue(client: client, prefix: Self.prefix, firstRetry: settings.firstRetry, attempts: Self.attempts, now: now)
    }

    /// Queues a mail under `key` unless one is queued (or was) under it; whether this call queued it.
    @discardableResult
    func enqueue(_ message: MailMessage, key: String) throws -> Bool { try queue.enqueue(message, key: key) }

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
        guard let from = settings.from else { return 0 }
        let (header, address) = try Self.sender(from)
        return try queue.pass(lease: lease, leaseSeconds: 60, budget: budget) { _, message, attempt in
            let time = now()
            let id = "\(Base64URL.random(bytes: 12))@\(address.split(separator: "@").last ?? "dropgate")"
            let bytes = message.bytes(from: header, messageID: id, date: time, boundary: "dropgate-" + Base64URL.random(bytes: 12))
            do {
                try sender.send(bytes, from: address, to: message.to)
                return .done
            } catch {
                logger.warning("mail: sending failed (attempt \(attempt) of \(Self.attempts)): \(error)")
                return .failed("\(error)")
            }
        } gaveUp: { _, message, attempts, reason in
            logger.error("mail: gave up on a mail to \(message.to.count) recipient(s) after \(attempts) attempts: \(reason)")
        }
    }
}
