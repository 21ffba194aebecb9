import Foundation
import Synchronization
import Testing

@testable import Gateway

/// `/readyz`'s cache: at most one store check per interval, with the clock injected.
struct ReadinessProbeTests {
    final class Clock: Sendable {
        let seconds = Mutex(1_000.0)
        var now: Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    @Test func theStoreIsAskedAtMostOncePerInterval() {
        let clock = Clock()
        let checks = Mutex(0)
        let healthy = Mutex(true)
        let check: @Sendable () -> ReadinessProbe.Outcome = {
            checks.withLock { $0 += 1 }
            return healthy.withLock { $0 } ? .ready : .notReady("The store is unreachable.")
        }
        let probe = ReadinessProbe(interval: 1, now: { clock.now }, check: check)
        for _ in 0..<50 { #expect(probe.outcome() == .ready) }
        #expect(checks.withLock { $0 } == 1)
        healthy.withLock { $0 = false }
        clock.advance(0.5)
        #expect(probe.outcome() == .ready)  // still the cached answer
        clock.advance(0.5)
        #expect(probe.outcome() == .notReady("The store is unreachable."))
        #expect(checks.withLock { $0 } == 2)
    }

    @Test func aClockThatGoesBackRefreshes() {
        let clock = Clock()
        let checks = Mutex(0)
        let check: @Sendable () -> ReadinessProbe.Outcome = {
            checks.withLock { $0 += 1 }
            return .ready
        }
        let probe = ReadinessProbe(interval: 1, now: { clock.now }, check: check)
        _ = probe.outcome()
        clock.advance(-10)
        _ = probe.outcome()
        #expect(checks.withLock { $0 } == 2)
    }
}
