import CurlHTTP
import Foundation
import S3Client
import Synchronization

/// `GET /readyz`: whether the store answers HeadBucket with the configured credentials.
///
/// The answer is cached for `interval`, so however often a load balancer asks, the store sees at most
/// one HeadBucket per interval; askers while a check runs get the previous answer
/// (before the first check has finished: not ready).
final class ReadinessProbe: Sendable {
    /// Ready, or the reason it is not.
    enum Outcome: Sendable, Equatable {
        case ready
        case notReady(String)
    }

    private struct State {
        var checkedAt: Date?
        var outcome: Outcome = .notReady("The store has not been checked yet.")
        var checking = false
    }

    private let check: @Sendable () -> Outcome
    private let interval: TimeInterval
    private let now: @Sendable () -> Date
    private let state = Mutex(State())

    init(interval: TimeInterval = 1, now: @escaping @Sendable () -> Date, check: @escaping @Sendable () -> Outcome) {
        self.interval = interval
        self.now = now
        self.check = check
    }

    /// A probe that HEADs the client's bucket.
    convenience init(client: S3Client, now: @escaping @Sendable () -> Date) {
        self.init(now: now) {
            do {
                _ = try client.headBucket()
                return .ready
            } catch let error as S3ClientError {
                return .notReady("The store refused HeadBucket on \(client.configuration.bucket): \(error.status) \(error.code).")
            } catch let error as NetworkError {
                return .notReady("The store is unreachable: \(error.description)")
            } catch {
                return .notReady("The store check failed: \(type(of: error)).")
            }
        }
    }

    /// The cached outcome, refreshed when it is older than the interval.
    func outcome() -> Outcome {
        let time = now()
        let due = state.withLock { state -> Bool in
            let stale = state.checkedAt.map { time.timeIntervalSince($0) >= interval || time < $0 } ?? true
            guard stale, !state.checking else { return false }
            state.checking = true
            return true
        }
        guard due else { return state.withLock { $0.outcome } }
        let fresh = check()
        return state.withLock { state in
            state.outcome = fresh
            state.checkedAt = time
            state.checking = false
            return fresh
        }
    }
}
