import Foundation

/// The lifecycle sweeper running inside `serve`: a pass every `lifecycle.interval`.
public struct LifecycleService: Sendable {
    let sweeper: LifecycleSweeper

    /// Runs one pass now; what it deleted (nothing said when it deleted nothing), or why it failed.
    @discardableResult
    public func sweepOnce() -> String? {
        do {
            let report = try sweeper.sweep()
            guard report.swept else { return nil }
            guard report.orphans + report.multipartUploads + report.shareObjects + report.tombstones > 0 || report.unfinished else { return nil }
            return
                "deleted \(report.orphans) orphans, aborted \(report.multipartUploads) multipart uploads, deleted \(report.shareObjects) dead shares' objects and \(report.tombstones) tombstones"
                + (report.unfinished ? " (budget reached; the next pass carries on)" : "")
        } catch {
            return "pass failed: " + Gateway.apiError(for: error, logger: sweeper.sharing.logger).message
        }
    }

    /// Starts the passes: the first one at once, then one every `lifecycle.interval` seconds; stop the task at
    /// shutdown (it finishes the pass in progress and gives up the lease, so another gateway can take over at once).
    public func start() -> RepeatingTask {
        RepeatingTask(name: "dropgate-lifecycle", interval: TimeInterval(sweeper.lifecycle.interval)) { [self] in
            if let outcome = sweepOnce() { sweeper.sharing.logger.info("lifecycle: \(outcome)") }
        } finally: { [sweeper] in
            sweeper.lease.release()
        }
    }
}
