import Foundation
import Synchronization

/// The provider's keys, fetched when first needed and again when a token names a `kid` the set lacks (the provider
/// rotated its keys), at most once per `refetchInterval` seconds: a flood of tokens with made-up key ids costs the
/// provider one request a minute, not one each. A set older than `maximumAge` is fetched again before it is used,
/// so a key the provider stopped listing (retired, or compromised) is trusted for at most that long.
public final class KeySetCache: Sendable {
    /// Fetches the JWKS document's bytes.
    public typealias Fetch = @Sendable () throws -> [UInt8]

    private let fetch: Fetch
    private let refetchInterval: Int64
    private let maximumAge: Int64
    private let now: @Sendable () -> Int64
    private let state = Mutex<(set: JSONWebKeySet?, fetchedAt: Int64?)>((nil, nil))

    public init(
        refetchInterval: Int64 = 60, maximumAge: Int64 = 600, now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        fetch: @escaping Fetch
    ) {
        self.fetch = fetch
        self.refetchInterval = refetchInterval
        self.maximumAge = maximumAge
        self.now = now
    }

    /// The key named `id` (or the set's only key when the token names none).
    public func key(id: String?) throws(OIDCError) -> VerificationKey {
        let clock = now()
        let (cached, fetchedAt) = state.withLock { ($0.set, $0.fetchedAt) }
        if let fetchedAt, clock - fetchedAt < maximumAge, let found = lookup(id, in: cached) { return found }
        let mayFetch = state.withLock { current -> Bool in
            guard let fetchedAt = current.fetchedAt, clock - fetchedAt < refetchInterval else {
                current.fetchedAt = clock
                return true
            }
            return false
        }
        guard mayFetch else {
            throw OIDCError(.unknownKey, "No key of the provider has the ID token's kid; the keys were fetched under a minute ago.")
        }
        let bytes: [UInt8]
        do { bytes = try fetch() } catch { throw OIDCError(.badProviderMetadata, "The provider's JWKS could not be fetched: \(error).") }
        let set = try JSONWebKeySet(json: bytes)
        state.withLock { $0.set = set }
        guard let found = lookup(id, in: set) else { throw OIDCError(.unknownKey, "No key of the provider's JWKS has the ID token's kid.") }
        return found
    }

    private func lookup(_ id: String?, in set: JSONWebKeySet?) -> VerificationKey? {
        guard let set else { return nil }
        guard let id else { return set.onlyKey }
        return set.keys[id]
    }
}
