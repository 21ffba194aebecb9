import Crypto
import DropgateAPI
import Foundation
import HTTPWire
import S3Client

/// File requests in the bucket, every write create-only (`If-None-Match: *`), so any number of gateways keep one
/// count on any supported store:
/// - `.dropgate/requests/<id>/request.json`: the request, written once;
/// - `.dropgate/requests/<id>/usage/`: what its uploads hold (a ``SequencedState`` of ``RequestUsage``);
/// - `.dropgate/requests/<id>/submissions/<sid>.json`: each submission, named by its files, so a retry makes none twice;
/// - `.dropgate/requests/<id>/closed`: closed by its owner.
struct FileRequests: Sendable {
    let client: S3Client

    static let root = ".dropgate/requests/"
    static func recordKey(_ id: String) -> String { root + id + "/request.json" }
    static func closedKey(_ id: String) -> String { root + id + "/closed" }
    static func submissionsPrefix(_ id: String) -> String { root + id + "/submissions/" }
    /// What an upload's key index (and its upload id's owner) names when the upload belongs to request `id` (never a
    /// share id or a usage fingerprint: those are 22 characters).
    static func indexName(_ id: String) -> String { "r." + id }

    /// The request an index entry or an upload's owner names, if it names one.
    static func requestID(named name: String?) -> String? {
        guard let name, name.hasPrefix("r.") else { return nil }
        return String(name.dropFirst(2))
    }

    func usage(_ id: String) -> SequencedState<RequestUsage> { SequencedState(client: client, prefix: Self.root + id + "/usage/") }

    func create(_ record: FileRequestRecord) throws -> Bool { try client.create(key: Self.recordKey(record.id), body: try APIJSON.encode(record)) }

    /// The request, or nil when there is none (or the id is not one).
    func load(_ id: String) throws -> FileRequestRecord? {
        guard ShareStore.isValidID(id) else { return nil }
        return try client.record(FileRequestRecord.self, at: Self.recordKey(id))
    }

    func isClosed(_ id: String) throws -> Bool { try client.headObject(key: Self.closedKey(id)) != nil }

    func close(_ id: String) throws { _ = try client.create(key: Self.closedKey(id), body: [], contentType: "text/plain") }

    /// Holds `size` bytes and one file for the upload at `key` until `expiresAt`, or refuses past the caps (409). Uploads
    /// whose ids expired unfinished stop holding anything once the store has no object of theirs left (the sweeper
    /// deletes what they left), so the bucket never holds more than the caps.
    func reserve(_ request: FileRequestRecord, key: String, size: Int64, expiresAt: Int64, now: Int64) throws {
        var refusal: GatewayError?
        _ = try usage(request.id).update(initial: RequestUsage()) { usage in
            refusal = nil
            if usage.files + 1 > request.maxFiles || usage.bytes + size > request.maxBytes { try prune(&usage, now: now) }
            if !request.multiple, usage.submissions > 0 { refusal = Self.closedRefusal("It took its one submission.") }
            let filesLeft = request.maxFiles - usage.files
            let bytesLeft = request.maxBytes - usage.bytes
            if refusal == nil, filesLeft < 1 || size > bytesLeft {
                refusal = GatewayError(
                    409, .requestFull,
                    filesLeft < 1
                        ? "This request takes no more files: all \(request.maxFiles, as: "maxFiles") are uploaded or on their way."
                        : "This file (\(ClientLimiter.words(size), as: "size")) does not fit: the request takes \(ClientLimiter.words(bytesLeft), as: "bytesLeft") more."
                )
            }
            guard refusal == nil else { return false }
            usage.uploads[key] = RequestUsage.Held(bytes: size, expiresAt: expiresAt, submitted: false)
            return true
        }
        if let refusal { throw refusal }
    }

    /// Drops uploads that can no longer be completed and whose objects are gone.
    private func prune(_ usage: inout RequestUsage, now: Int64) throws {
        for (key, held) in usage.uploads where !held.submitted && held.expiresAt < now {
            let published = ObjectKey.published(key)
            if try client.headObject(key: key) == nil, try client.headObject(key: published) == nil { usage.uploads[key] = nil }
        }
    }

    static func closedRefusal(_ reason: Wording) -> GatewayError {
        GatewayError(410, .requestClosed, "This request takes no more files. \(reason, as: "reason")")
    }

    /// The id of the submission of these uploads: the same files name the same submission, so a retry adds none.
    static func submissionID(_ keys: [String]) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Array(keys.sorted().joined(separator: "\n").utf8))).prefix(16))
    }

    /// A submission as kept.
    struct Submission: Codable, Sendable {
        var id: String
        /// Milliseconds since 1970.
        var at: Int64
        var name: String?
        var email: String?
        var files: [SharedFile]
        /// Encrypted requests: the share key wrapped to the owner, and the sealed manifest (base64url).
        var keyWrap: OwnerWrappedKey? = nil
        var manifest: String? = nil
    }

    /// Keeps a submission of verified uploads (each held by this request), marks them handed over, and returns it; the
    /// same files again return the submission kept before.
    func submit(
        _ request: FileRequestRecord, files: [VerifiedFile], name: String?, email: String?, sealed: SealedSubmission?, at time: Int64
    ) throws -> Submission {
        let id = Self.submissionID(files.map(\.uploadKey))
        let key = Self.submissionsPrefix(request.id) + id + ".json"
        var refusal: GatewayError?
        _ = try usage(request.id).update(initial: RequestUsage()) { usage in
            refusal = nil
            guard files.allSatisfy({ usage.uploads[$0.uploadKey] != nil }) else {
                refusal = GatewayError.badRequest(.invalidReceipt, "A file was not uploaded to this request, or too long ago: upload it again.")
                return false
            }
            let handed = files.filter { usage.uploads[$0.uploadKey]?.submitted == true }
            if handed.count == files.count { return false }  // handed over before: the same submission
            if let first = handed.first {
                refusal = GatewayError(409, .alreadyShared, "\(first.file.filename, as: "filename") was handed over in another submission.")
                return false
            }
            if !request.multiple, usage.submissions > 0 {
                refusal = Self.closedRefusal("It took its one submission.")
                return false
            }
            for file in files { usage.uploads[file.uploadKey]?.submitted = true }
            usage.submissions += 1
            return true
        }
        if let refusal { throw refusal }
        let submission = Submission(
            id: id, at: time, name: name, email: email, files: files.map(\.file), keyWrap: sealed?.keyWrap, manifest: sealed?.manifest)
        guard try client.create(key: key, body: try APIJSON.encode(submission)) else {
            return try APIJSON.decode(Submission.self, from: try client.getObject(key: key).bytes)
        }
        return submission
    }

    /// Deletes a submission: its files' objects and index entries, then its record; the request's count gives its
    /// files back, so senders may send as much again. False when there is no such submission.
    func delete(_ request: FileRequestRecord, submission id: String) throws -> Bool {
        guard let kept = try submission(request.id, id) else { return false }
        let key = Self.submissionsPrefix(request.id) + id + ".json"
        let uploadKeys = kept.files.map { ObjectKey.staging(of: $0.key) }
        for (file, uploadKey) in zip(kept.files, uploadKeys) {
            for object in Set([file.key, uploadKey]) { try client.deleteObject(key: object) }
        }
        _ = try usage(request.id).update(initial: RequestUsage()) { usage in
            let before = usage.files
            for uploadKey in uploadKeys { usage.uploads[uploadKey] = nil }
            return usage.files != before
        }
        for uploadKey in uploadKeys { try client.deleteObject(key: ShareStore.indexKey(forUploadKey: uploadKey)) }
        try client.deleteObject(key: key)
        return true
    }

    /// An event: what happened, to what, and when; never a secret, a password or a key.
    struct Event: Codable, Sendable, Equatable {
        var id: String
        var type: String
        /// Milliseconds since 1970.
        var at: Int64
        var request: String
        var submission: String
        var files: Int
        var bytes: Int64
    }

    static func eventKey(_ id: String, submission: String) -> String { root + id + "/events/" + submission + ".json" }

    /// Records `request.submitted` for a submission, once however often it is retried on however many gateways
    /// (create-only, named by the submission), for notices to deliver.
    func recordEvent(_ request: FileRequestRecord, submission: Submission) throws {
        let event = Event(
            id: "evt_" + submission.id, type: "request.submitted", at: submission.at, request: request.id, submission: submission.id,
            files: submission.files.count, bytes: submission.files.reduce(0) { $0 + $1.size })
        _ = try client.create(key: Self.eventKey(request.id, submission: submission.id), body: try APIJSON.encode(event))
    }

    /// One submission of a request, read directly; nil when there is none.
    func submission(_ requestID: String, _ id: String) throws -> Submission? {
        guard ShareStore.isValidID(id) else { return nil }
        return try client.record(Submission.self, at: Self.submissionsPrefix(requestID) + id + ".json")
    }

    /// Every submission of a request, oldest first.
    func submissions(_ id: String) throws -> [Submission] {
        var kept: [Submission] = []
        var token: String?
        repeat {
            let page = try client.listObjects(prefix: Self.submissionsPrefix(id), continuationToken: token)
            for object in page.objects { kept.append(try APIJSON.decode(Submission.self, from: try client.getObject(key: object.key).bytes)) }
            token = page.nextContinuationToken
        } while token != nil && kept.count < FileRequestRecord.fileLimit
        return kept.sorted { ($0.at, $0.id) < ($1.at, $1.id) }
    }
}
