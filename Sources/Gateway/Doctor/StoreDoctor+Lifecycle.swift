import S3Client
import S3Common

extension StoreDoctor {
    /// The rule `doctor --fix` adds: abort multipart uploads under `uploads/` a whole number of days after they began,
    /// once no upload id can complete them any more. It is the store's own safety net beside the gateway's sweeper,
    /// and works while no gateway runs.
    var lifecycleRule: LifecycleConfiguration.Rule {
        let seconds = settings.uploads.presignExpiry + settings.lifecycle.orphanGrace
        return LifecycleConfiguration.Rule(
            id: "dropgate-abort-incomplete-multipart", prefix: "uploads/", abortIncompleteMultipartUploadDays: max(1, (seconds + 86_399) / 86_400))
    }

    /// Whether an enabled rule aborts incomplete multipart uploads under `uploads/`.
    public func lifecycle() -> Finding {
        let check = "lifecycle rule aborting incomplete multipart uploads"
        do {
            let rules = try client.bucketLifecycle().rules
            if let rule = rules.first(where: { $0.enabled && $0.abortIncompleteMultipartUploadDays != nil && "uploads/".hasPrefix($0.prefix) }) {
                return Finding(
                    check: check, passed: true,
                    detail: "rule \(rule.id.isEmpty ? "(no id)" : rule.id) aborts them after \(rule.abortIncompleteMultipartUploadDays ?? 0) days",
                    fix: nil)
            }
            return Finding(
                check: check, passed: false, detail: rules.isEmpty ? "the bucket has no lifecycle rules" : "no rule covers uploads/",
                fix:
                    "Run `dropgate doctor --fix` to add one (PutBucketLifecycleConfiguration); the gateway's sweeper aborts them too, but only while a gateway runs."
            )
        } catch {
            return Finding(
                check: check, passed: false, detail: "\(error)", fix: "Add such a rule by hand; the store refused GetBucketLifecycleConfiguration.")
        }
    }

    /// Adds ``lifecycleRule`` (keeping the bucket's other rules, replacing one of the same id).
    public func fixLifecycle() throws {
        let rule = lifecycleRule
        var rules = (try? client.bucketLifecycle().rules) ?? []
        rules.removeAll { $0.id == rule.id }
        rules.append(rule)
        try client.putBucketLifecycle(LifecycleConfiguration(rules: rules))
    }
}
