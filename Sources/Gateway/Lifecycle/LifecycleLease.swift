import Foundation
import S3Client

/// Which gateway of a bucket sweeps: the holder of the latest claim under `.dropgate/lifecycle/lease/`, kept as a
/// ``SequencedState``. A claim is renewed, or an expired one taken over, by creating the next claim, so of two
/// gateways trying at once exactly one succeeds, on every store (create-only PUT is all it needs).
struct LifecycleLease: Sendable {
    struct Claim: Codable, Sendable, Equatable {
        var holder: String
        var expiresAt: Int64
    }

    static let prefix = ".dropgate/lifecycle/lease/"

    let claims: SequencedState<Claim>
    /// A random name for this gateway process.
    let holder: String
    let now: @Sendable () -> Date

    /// - Parameter prefix: where the claims are kept: the sweeper's by default; another job's lease names its own.
    init(client: S3Client, holder: String, prefix: String = Self.prefix, now: @escaping @Sendable () -> Date) {
        self.claims = SequencedState(client: client, prefix: prefix)
        self.holder = holder
        self.now = now
    }

    /// Takes or renews the lease for `seconds`; false when another gateway holds it.
    func acquire(for seconds: Int) throws -> Bool {
        let time = Int64(now().timeIntervalSince1970)
        let current = try claims.latest()
        if let claim = current?.state, claim.holder != holder, claim.expiresAt > time { return false }
        return try claims.append(Claim(holder: holder, expiresAt: time + Int64(seconds)), number: (current?.number ?? 0) + 1)
    }

    /// Gives the lease up (at shutdown), so another gateway need not wait for it to expire.
    func release() {
        guard let current = try? claims.latest(), current.state.holder == holder else { return }
        _ = try? claims.append(Claim(holder: holder, expiresAt: 0), number: current.number + 1)
    }
}
