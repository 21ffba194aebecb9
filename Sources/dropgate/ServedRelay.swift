import Gateway
import Synchronization

/// Carries the embedded store's reports of served downloads to the gateway, which is made after the store.
final class ServedRelay: Sendable {
    private let gateway = Mutex<Gateway?>(nil)

    func connect(_ gateway: Gateway) { self.gateway.withLock { $0 = gateway } }

    @Sendable func forward(receipt: String, offset: Int64, count: Int64, size: Int64, complete: Bool) {
        gateway.withLock { $0 }?.storeServed(receipt: receipt, offset: offset, count: count, size: size, complete: complete)
    }
}
