import DropgateAPI
import Foundation
import S3Client

/// A small state that several gateways change safely on any S3-compatible store: kept as a sequence of objects
/// written only with `If-None-Match: *` (create-only), each holding the whole state after one change.
///
/// Change number `n` lives at `<prefix><20 digits of UInt64.max - n>.json`, so a listing's first key is the latest.
/// Two writers that read the same latest state both try to create the next number, and the store lets exactly one
/// of them: the other re-reads and tries again. Create-only PUT is the one condition every store here honours
/// (Ceph RGW 16 refuses every `If-Match` on PUT, so a read-modify-write with `If-Match` cannot be used there).
/// Older entries are deleted as newer ones are written; two are kept.
struct SequencedState<State: Codable & Sendable>: Sendable {
    let client: S3Client
    /// `.dropgate/usage/<owner>/`; ends with `/`.
    let prefix: String

    /// The latest state and its number; nil when there is none.
    func latest() throws -> (number: UInt64, state: State)? {
        for _ in 0..<5 {
            guard let key = try client.listObjects(prefix: prefix, maxKeys: 1).objects.first?.key, let number = Self.number(of: key, prefix: prefix)
            else { return nil }
            do {
                let bytes = try client.getObject(key: key).bytes
                return (number, try APIJSON.decoder.decode(State.self, from: Data(bytes)))
            } catch let error as S3ClientError where error.status == 404 {
                continue  // pruned between the listing and the read: list again
            }
        }
        return nil
    }

    /// Writes `state` as change `number`; false when another writer created that number first.
    func append(_ state: State, number: UInt64) throws -> Bool {
        guard try client.create(key: key(number), body: Array(try APIJSON.encoder.encode(state))) else { return false }
        if number >= 2 { try? client.deleteObject(key: key(number - 2)) }
        return true
    }

    /// Reads, changes and appends, again from the new latest state whenever another writer came first.
    /// `change` returns false to leave the state as it is. Returns the state as it stands after the change.
    func update(initial: State, attempts: Int = 30, _ change: (inout State) throws -> Bool) throws -> State {
        for _ in 1...attempts {
            let current = try latest()
            var state = current?.state ?? initial
            guard try change(&state) else { return state }
            if try append(state, number: (current?.number ?? 0) + 1) { return state }
            Thread.sleep(forTimeInterval: Double.random(in: 0.001...0.010))  // spread contenders out
        }
        throw GatewayError(503, .busy, "Too many gateways changed the same record at once; try again.", retryAfter: 1)
    }

    func key(_ number: UInt64) -> String {
        let inverted = String(UInt64.max - number)
        return prefix + String(repeating: "0", count: 20 - inverted.utf8.count) + inverted + ".json"
    }

    static func number(of key: String, prefix: String) -> UInt64? {
        guard key.hasPrefix(prefix), key.hasSuffix(".json") else { return nil }
        let digits = key.dropFirst(prefix.utf8.count).dropLast(5)
        guard digits.utf8.count == 20, let inverted = UInt64(digits) else { return nil }
        return UInt64.max - inverted
    }
}
