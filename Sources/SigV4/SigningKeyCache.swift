import Synchronization

/// Remembers derived signing keys so that each (secret, date, region, service) is derived once.
///
/// Thread-safe; bounded to `capacity` entries (it is emptied when full, which only costs a re-derivation).
public final class SigningKeyCache: Sendable {
    struct Entry: Hashable {
        var secret: String
        var dateStamp: String
        var region: String
        var service: String
    }

    private let keys = Mutex<[Entry: SigningKey]>([:])
    private let capacity: Int

    public init(capacity: Int = 1_024) {
        self.capacity = capacity
    }

    /// The key for these inputs, derived on first use.
    public func key(secretAccessKey: String, dateStamp: String, region: String, service: String) -> SigningKey {
        let entry = Entry(secret: secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        if let key = keys.withLock({ $0[entry] }) { return key }
        let key = SigningKey(secretAccessKey: secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        keys.withLock { keys in
            if keys.count >= capacity { keys.removeAll(keepingCapacity: true) }
            keys[entry] = key
        }
        return key
    }

    /// The number of keys held.
    public var count: Int { keys.withLock { $0.count } }
}

/// The signing key and credential scope of the last day one ``Signer`` signed for.
final class SigningKeySlot: Sendable {
    /// A day's key and its `date/region/service/aws4_request` bytes; a class, so that handing it out is one retain.
    final class Day: Sendable {
        let number: Int64
        let key: SigningKey
        let scope: [UInt8]

        init(number: Int64, key: SigningKey, scope: [UInt8]) {
            self.number = number
            self.key = key
            self.scope = scope
        }
    }

    private let slot = Mutex<Day?>(nil)

    func day(_ number: Int64) -> Day? {
        slot.withLock { $0?.number == number ? $0 : nil }
    }

    func store(_ day: Day) {
        slot.withLock { $0 = day }
    }
}
