import Foundation
import HTTPServer
import S3Common

extension EmbeddedStore {
    /// Where PutBucketLifecycleConfiguration keeps a bucket's rules (the XML as sent, re-encoded).
    func lifecyclePath(_ bucket: String) -> String { "\(disk.root)/buckets/\(bucket).lifecycle" }

    /// The bucket's lifecycle rules; none when it has none.
    func lifecycleRules(for bucket: String) -> [LifecycleConfiguration.Rule] {
        guard let data = FileManager.default.contents(atPath: lifecyclePath(bucket)),
            let configuration = try? LifecycleConfiguration(bytes: Array(data))
        else { return [] }
        return configuration.rules
    }

    /// PutBucketLifecycleConfiguration for the rules the gateway writes: expire objects under a prefix after some days,
    /// and abort incomplete multipart uploads some days after they began. Anything else is refused, not ignored.
    func putBucketLifecycle(_ request: HTTPRequest, body: HTTPRequestBody, bucket: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        let bytes = try body.readAll(limit: 64 * 1024)
        guard let tree = XMLTree.parse(bytes), tree.name == LifecycleConfiguration.rootName else {
            throw S3Error(.malformedXML, "The XML you provided was not well-formed or did not validate against our published schema.", status: 400)
        }
        let known: Set<String> = ["ID", "Filter", "Prefix", "Status", "Expiration", "AbortIncompleteMultipartUpload"]
        let rules = tree.children(named: "Rule")
        guard !rules.isEmpty, rules.count <= 1_000 else {
            throw S3Error(.malformedXML, "A lifecycle configuration holds 1 to 1,000 rules.", status: 400)
        }
        for rule in rules {
            if let unknown = rule.children.first(where: { !known.contains($0.name) }) {
                throw S3Error.notImplemented("The lifecycle rule element \(unknown.name)")
            }
            guard rule.text(of: "Status") == "Enabled" || rule.text(of: "Status") == "Disabled" else {
                throw S3Error(.malformedXML, "Each lifecycle rule needs Status Enabled or Disabled.", status: 400)
            }
        }
        let configuration = try S3XML.read(LifecycleConfiguration.self, tree: tree)  // the tree checked above, not a second parse
        for rule in configuration.rules {
            let days = [rule.expirationDays, rule.abortIncompleteMultipartUploadDays].compactMap { $0 }
            guard !days.isEmpty, days.allSatisfy({ $0 > 0 }) else {
                throw S3Error(
                    .invalidArgument,
                    "Each lifecycle rule needs Expiration Days or AbortIncompleteMultipartUpload DaysAfterInitiation, a positive integer.",
                    status: 400)
            }
        }
        try Data(configuration.document().utf8).write(to: URL(fileURLWithPath: lifecyclePath(bucket)), options: .atomic)
        return HTTPResponse(status: 200)
    }

    func getBucketLifecycle(bucket: String) throws -> HTTPResponse {
        let rules = lifecycleRules(for: bucket)
        guard !rules.isEmpty else {
            throw S3Error(
                .noSuchLifecycleConfiguration, "The lifecycle configuration does not exist.", status: 404, details: [("BucketName", bucket)])
        }
        return xml(200, LifecycleConfiguration(rules: rules).document())
    }

    func deleteBucketLifecycle(bucket: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        unlink(lifecyclePath(bucket))
        return HTTPResponse(status: 204)
    }

    /// Carries out the buckets' enabled lifecycle rules: aborts multipart uploads and deletes objects older than their
    /// rule's days (whole days, as S3 counts them from the time of creation).
    public func applyLifecycleRules() {
        let time = now().timeIntervalSince1970
        for (bucket, _) in disk.listBuckets() {
            let rules = lifecycleRules(for: bucket).filter(\.enabled)
            guard !rules.isEmpty else { continue }
            for (id, upload) in multipart.uploads(bucket: bucket) {
                let expired = rules.contains { rule in
                    guard let days = rule.abortIncompleteMultipartUploadDays, upload.key.hasPrefix(rule.prefix) else { return false }
                    return time - upload.initiated >= Double(days) * 86_400
                }
                if expired { multipart.remove(id) }
            }
            guard rules.contains(where: { $0.expirationDays != nil }), let objects = try? disk.listObjects(bucket) else { continue }
            for object in objects {
                let expired = rules.contains { rule in
                    guard let days = rule.expirationDays, object.key.hasPrefix(rule.prefix) else { return false }
                    return time - object.lastModified >= Double(days) * 86_400
                }
                if expired { _ = try? disk.withKeyLock(bucket: bucket, key: object.key) { try disk.deleteObject(bucket: bucket, key: object.key) } }
            }
        }
    }
}
