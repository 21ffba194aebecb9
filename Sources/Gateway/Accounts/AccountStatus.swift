import DropgateAPI
import Foundation
import HTTPWire
import S3Client
import Synchronization

/// What an account's sessions and tokens are worth now, kept in the bucket as create-only markers under
/// `.dropgate/accounts/<owner>/status/`: `<time>-signout` (every session issued until then has ended; milliseconds, so a
/// sign-in right after signing out everywhere is not caught by it), `<time>-disabled`
/// and `<time>-enabled` (an admin's word, the latest wins). Create-only writes hold on a store that honours only
/// `If-None-Match: *`, and every gateway reads the same markers; each keeps what it read for one second at most, so
/// a signed-out or disabled account stops everywhere at once.
final class AccountStatus: Sendable {
    struct State: Sendable, Equatable {
        /// Sessions issued at or before this time (milliseconds since 1970) have ended.
        var signedOutAtMilliseconds: Int64 = 0
        var disabled = false
    }

    let client: S3Client
    let now: @Sendable () -> Date
    /// Seconds a gateway keeps what it read of an account.
    static let freshness: TimeInterval = 1
    private let cache = Mutex<[String: (state: State, readAt: Date)]>([:])

    init(client: S3Client, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.now = now
    }

    static func folder(_ owner: String) -> String { ".dropgate/accounts/\(owner)/status/" }

    /// The account's state, read from the bucket unless read under a second ago.
    func state(_ owner: String) throws -> State {
        let time = now()
        if let cached = cache.withLock({ $0[owner] }), time.timeIntervalSince(cached.readAt) < Self.freshness { return cached.state }
        var state = State()
        var token: String?
        var markers: [String] = []
        repeat {
            let page = try client.listObjects(prefix: Self.folder(owner), continuationToken: token)
            markers += page.objects.map { String($0.key.dropFirst(Self.folder(owner).count)) }
            token = page.nextContinuationToken
        } while token != nil && markers.count < 10_000
        // `<milliseconds, 15 digits>-<kind>-<random>`: sorted by time.
        for marker in markers.sorted() {
            let parts = marker.split(separator: "-")
            guard parts.count >= 2, let at = Int64(parts[0]) else { continue }
            switch parts[1] {
            case "signout": state.signedOutAtMilliseconds = max(state.signedOutAtMilliseconds, at)
            case "disabled": state.disabled = true
            case "enabled": state.disabled = false
            default: continue
            }
        }
        cache.withLock { table in
            if table.count > 10_000 { table.removeAll() }
            table[owner] = (state, time)
        }
        return state
    }

    /// Records `kind` (`signout`, `disabled`, `enabled`) now; every gateway sees it within a second.
    func record(_ kind: String, owner: String, random: RandomBytes) throws {
        let milliseconds = Int64((now().timeIntervalSince1970 * 1_000).rounded(.down))
        let digits = String(milliseconds)
        let name =
            String(repeating: "0", count: max(0, 15 - digits.count)) + digits + "-\(kind)-"
            + Base64URL.random(bytes: 6, from: random).replacingOccurrences(of: "-", with: "_")
        _ = try client.create(key: Self.folder(owner) + name, body: [], contentType: "text/plain")
        cache.withLock { $0[owner] = nil }
    }

    /// Refuses a session that has ended (signed out everywhere after it began) or whose account is disabled.
    func check(_ session: UserSession, owner: String) throws {
        let state = try state(owner)
        guard !state.disabled else { throw GatewayError(403, .accountDisabled, "This account is disabled here. Ask the Dropgate's admin.") }
        guard session.issuedAtMilliseconds > state.signedOutAtMilliseconds else {
            throw GatewayError(401, .unauthorized, "This sign-in has ended (signed out everywhere): sign in again.")
        }
    }
}
