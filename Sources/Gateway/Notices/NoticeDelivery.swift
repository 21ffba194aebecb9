import Foundation

/// The webhook deliverer running inside `serve`: a pass over the queue every `webhooks.interval` seconds, on a thread
/// of its own, so no delivery ever delays a user's request.
public struct NoticeDelivery: Sendable {
    let deliverer: WebhookDeliverer

    /// Runs one pass now; the number of deliveries attempted (failures are logged).
    @discardableResult
    public func deliverOnce() -> Int {
        do {
            return try deliverer.deliverDue()
        } catch {
            deliverer.logger.warning("webhooks: pass failed: \(error)")
            return 0
        }
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
