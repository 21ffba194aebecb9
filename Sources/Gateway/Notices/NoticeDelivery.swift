import CurlHTTP
import Foundation

/// The webhook deliverer running inside `serve`: a pass over the queue every `webhooks.interval` seconds, on a thread
/// of its own, so no delivery ever delays a user's request.
public struct NoticeDelivery: Sendable {
    let deliverer: WebhookDeliverer
    /// The mail queue and the SMTP server, where the gateway sends mail.
    let mail: (queue: MailQueue, sender: MailSender)?

    /// Runs one pass now; the number of deliveries and mails attempted (failures are logged).
    @discardableResult
    public func deliverOnce() -> Int {
        var attempted = 0
        do {
            attempted += try deliverer.deliverDue()
        } catch {
            deliverer.logger.warning("webhooks: pass failed: \(error)")
        }
        if let mail {
            do {
                attempted += try mail.queue.sendDue(sender: mail.sender, lease: deliverer.lease, budget: .seconds(20))
            } catch {
                deliverer.logger.warning("mail: pass failed: \(error)")
            }
        }
        return attempted
    }

    /// Starts the passes; stop the task at shutdown (it finishes the pass in progress and gives the lease up).
    public func start() -> RepeatingTask {
        RepeatingTask(name: "dropgate-webhooks", interval: TimeInterval(deliverer.settings.interval)) { [self] in
            deliverOnce()
        } finally: { [deliverer] in
            deliverer.lease.release()
        }
    }
}
