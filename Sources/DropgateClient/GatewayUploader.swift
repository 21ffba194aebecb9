import CurlHTTP
import DropgateAPI
import Foundation
import Glibc
import HTTPWire
import S3Client
import S3Common
import Synchronization

/// One file through the gateway's API: declare, upload to the presigned URL(s), complete.
public struct GatewayUploader: Sendable {
    let base: String
    let token: String?
    let client: WebClient
    /// Parts in flight at once; nil follows the gateway's plan.
    let parallel: Int?
    let progress: ProgressBar
    /// Files up to this size are hashed (SHA-256) so the gateway can verify them (the gateway's `hashLimit`).
    let hashLimit: Int64

    /// Where unfinished multipart uploads are kept, so a second run continues them.
    let journal: UploadJournal
    /// The time, which says whether a kept upload may still be resumed.
    let now: @Sendable () -> Date
    /// Where files are declared: `/api/uploads`, or a file request's `/api/requests/{id}/uploads`.
    var declarePath = "/api/uploads"
    /// Headers every call carries beside the token (a file request's `X-Request-Pass`).
    var extraHeaders: HTTPHeaders = []

    /// This uploader, declaring files under file request `id` (with the pass its password gave, if it has one).
    public func toRequest(_ id: String, pass: String?) -> GatewayUploader {
        var copy = self
        copy.declarePath = "/api/requests/\(id)/uploads"
        copy.extraHeaders = pass.map { [.init("X-Request-Pass", $0)] } ?? []
        return copy
    }

    /// - Parameters:
    ///   - base: the gateway's URL, without a trailing slash.
    ///   - token: the upload token, when the gateway needs one.
    ///   - parallel: parts in flight at once; nil follows the gateway's plan.
    ///   - hashLimit: files up to this size are hashed, so the gateway can verify them (its `GET /api/limits`).
    public init(
        base: String, token: String?, client: WebClient, parallel: Int?, progress: ProgressBar, hashLimit: Int64, journal: UploadJournal,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.now = now
        self.base = base
        self.token = token
        self.client = client
        self.parallel = parallel
        self.progress = progress
        self.hashLimit = hashLimit
        self.journal = journal
    }

    /// Uploads `path` and has the gateway verify it (a completion with `"collection": true`); returns the receipt that
    /// ``share(_:terms:)`` turns into a share. A multipart upload an earlier run left unfinished is continued: only the
    /// parts the store does not have are sent.
    public func verify(_ item: UploadItem, expiresIn: Int?) throws -> VerifiedUpload {
        let path = item.original
        let fd = open(item.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ClientError("cannot open it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        let size = Int64(info.st_size)
        let modified = try UploadItem.modified(path)
        let name = item.name
        if let kept = journal.entry(for: path, gateway: base, size: size, modified: modified, now: now()), kept.sealing == item.sealing {
            if let parts = try resume(kept, fd: fd, name: name) {
                return try finish(kept.uploadID, parts: parts, path: path)
            }
            try? journal.set(nil, for: path, now: now())
        } else if let stale = journal.entry(for: path, gateway: base, now: now()) {
            // Not the same bytes (or not sealed the same): the old upload's parts are never used, so they go now.
            abandon(stale, path: path)
        }
        var declaration = UploadRequest(
            filename: item.declaredName, size: size, contentType: item.contentType, expiresIn: expiresIn.map(Int64.init), encryption: item.encryption)
        if size <= hashLimit { declaration.sha256 = try Self.sha256(fd: fd) }
        let plan = try call("POST", declarePath, declaration, answer: UploadPlan.self)
        progress.start(name: name, total: size)
        var parts: [CompletedPart]?
        switch plan.send {
        case .multipart(let multipart):
            if let until = multipart.resumableUntil {
                let entry = UploadJournal.Entry(
                    gateway: base, uploadID: plan.id, size: size, modified: modified, partSize: multipart.partSize, parts: multipart.parts.count,
                    resumableUntil: until, sealing: item.sealing)
                try? journal.set(entry, for: path, now: now())
            }
            parts = try uploadParts(fd: fd, size: size, partSize: multipart.partSize, urls: multipart.parts, transfer: plan.transfer)
        case .put(let url, let signed):
            let headers = HTTPHeaders(
                signed.sorted { $0.key < $1.key }.filter { !$0.key.asciiCaseInsensitiveEquals("content-length") }.map {
                    HTTPHeaders.Field($0.key, $0.value)
                })
            let response = try client.upload(url: url, headers: headers, file: fd, offset: 0, length: size) { sent in
                progress.update(part: 0, sent: sent)
            }
            guard (200..<300).contains(response.status) else { throw ClientError(Self.storeError(response)) }
        case .post:
            throw ClientError("the gateway answered with a form upload, which was not asked for")
        }
        progress.finish()
        return try finish(plan.id, parts: parts, path: path)
    }

    /// Aborts a kept multipart upload that will not be continued (`DELETE /api/uploads/{id}`) and forgets it; a gateway
    /// that cannot be reached leaves it to the sweeper.
    func abandon(_ entry: UploadJournal.Entry, path: String) {
        var headers: HTTPHeaders = []
        if let token { headers.add("Authorization", "Bearer \(token)") }
        _ = try? client.request(method: "DELETE", url: "\(base)/api/uploads/\(entry.uploadID)", headers: headers)
        try? journal.set(nil, for: path, now: now())
    }

    /// Completes an upload for a collection and forgets it in the journal.
    func finish(_ uploadID: String, parts: [CompletedPart]?, path: String) throws -> VerifiedUpload {
        let verified = try call(
            "POST", "/api/uploads/\(uploadID)/complete", CompletionRequest(parts: parts, collection: true), answer: VerifiedUpload.self)
        try? journal.set(nil, for: path, now: now())
        return verified
    }

    /// Continues a kept multipart upload: the parts the store has (through the gateway), fresh URLs for the rest, and
    /// those sent; every part in order, or nil when the gateway no longer knows the upload (it starts over).
    func resume(_ kept: UploadJournal.Entry, fd: Int32, name: String) throws -> [CompletedPart]? {
        guard kept.parts >= 1, kept.partSize > 0, kept.size > 0 else { return nil }
        let stored: StoredParts
        do {
            stored = try call("GET", "/api/uploads/\(kept.uploadID)/parts", Optional<String>.none, answer: StoredParts.self)
        } catch let refusal as GatewayRefusal where [404, 409, 410].contains(refusal.status) {
            return nil
        }
        let length = { (number: Int) in min(kept.partSize, kept.size - Int64(number - 1) * kept.partSize) }
        var have: [Int: CompletedPart] = [:]
        for part in stored.parts where (1...kept.parts).contains(part.partNumber) && part.size == length(part.partNumber) {
            have[part.partNumber] = CompletedPart(partNumber: part.partNumber, etag: part.etag)
        }
        let missing = (1...kept.parts).filter { have[$0] == nil }
        FileHandle.standardError.write(Data("dropgate: resuming \(name): \(have.count) of \(kept.parts) parts are uploaded already\n".utf8))
        progress.start(name: name, total: kept.size)
        progress.already(have.keys.reduce(0) { $0 + length($1) })
        if !missing.isEmpty {
            let fresh = try call("POST", "/api/uploads/\(kept.uploadID)/parts", PartsRequest(parts: missing), answer: PartURLs.self)
            let transfer = TransferPolicy()
            for part in try uploadParts(fd: fd, size: kept.size, partSize: kept.partSize, urls: fresh.parts, transfer: transfer) {
                have[part.partNumber] = part
            }
        }
        progress.finish()
        return have.keys.sorted().compactMap { have[$0] }
    }

    /// One share of verified files (`POST /api/shares`), with the share's terms.
    public func share(_ receipts: [String], terms: ShareRequest) throws -> Completion {
        var request = terms
        request.files = receipts
        return try call("POST", "/api/shares", request, answer: Completion.self)
    }

    /// Uploads the parts of `urls`, as many at a time as the plan (or `--parallel`) says, retrying each as the plan
    /// says; returns them in order.
    func uploadParts(fd: Int32, size: Int64, partSize: Int64, urls parts: [PartURL], transfer: TransferPolicy) throws -> [CompletedPart] {
        guard partSize > 0, !parts.isEmpty else { throw ClientError("the gateway's multipart plan is malformed") }
        let attempts = max(1, transfer.partAttempts)
        let results = PartResults(count: parts.count)
        let queue = DispatchQueue(label: "dropgate.parts", attributes: .concurrent)
        let slots = DispatchSemaphore(value: parallel ?? max(1, min(16, transfer.parallelParts)))
        let group = DispatchGroup()
        for (index, part) in parts.enumerated() {
            let number = part.partNumber
            guard number >= 1, Int64(number - 1) * partSize < max(size, 1) else { throw ClientError("the gateway's multipart plan is malformed") }
            slots.wait()
            if results.failed {
                slots.signal()
                break
            }
            group.enter()
            queue.async {
                defer {
                    slots.signal()
                    group.leave()
                }
                let offset = Int64(number - 1) * partSize
                let length = min(partSize, size - offset)
                var lastError = "no attempt"
                for _ in 1...attempts {
                    do {
                        let response = try client.upload(url: part.url, headers: [], file: fd, offset: offset, length: length) { sent in
                            progress.update(part: index, sent: sent)
                        }
                        if (200..<300).contains(response.status), let etag = response.header("etag") {
                            results.set(index, CompletedPart(partNumber: number, etag: ASCIIText.unquoted(etag)))
                            return
                        }
                        lastError = Self.storeError(response)
                    } catch {
                        lastError = "\(error)"
                    }
                    progress.update(part: index, sent: 0)
                }
                results.fail("part \(number) failed \(attempts) times: \(lastError)")
            }
        }
        group.wait()
        if let failure = results.failure { throw ClientError(failure) }
        return results.values
    }

    /// `GET /api/limits`: what the gateway accepts, before anything is declared.
    public static func limits(base: String, client: WebClient) throws -> UploadLimits {
        let response = try client.request(method: "GET", url: base + "/api/limits")
        guard response.status == 200, let limits = try? APIJSON.decode(UploadLimits.self, from: response.body) else {
            throw ClientError("\(base) answered \(response.status) to GET /api/limits: is it a Dropgate gateway?")
        }
        return limits
    }

    /// Calls the gateway's API (a JSON body unless nil) and decodes its answer, or throws its refusal.
    public func call<Answer: Decodable>(
        _ method: String, _ path: String, _ body: (some Encodable)?, answer: Answer.Type, headers more: HTTPHeaders = []
    ) throws -> Answer {
        var headers = extraHeaders
        for field in more { headers.append(field) }
        if body != nil { headers.add("Content-Type", "application/json") }
        if let token, more["authorization"] == nil { headers.add("Authorization", "Bearer \(token)") }
        let response = try client.request(method: method, url: base + path, headers: headers, body: try body.map { try APIJSON.encode($0) })
        guard (200..<300).contains(response.status) else {
            let error = try? APIJSON.decode(APIErrorBody.self, from: response.body)
            throw GatewayRefusal(
                status: response.status, code: error?.error.code ?? "", message: error?.error.message ?? "the gateway answered \(response.status)")
        }
        do {
            return try APIJSON.decode(Answer.self, from: response.body)
        } catch {
            throw ClientError("the gateway's answer to \(path) is not what this dropgate understands: \(error)")
        }
    }

    static func sha256(fd: Int32) throws -> String {
        var digest = StreamingDigest(algorithms: [.sha256])
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if count < 0 { throw ClientError("reading it failed: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            offset += Int64(count)
        }
        return digest.base64(.sha256) ?? ""
    }

    static func storeError(_ response: WebClient.Response) -> String {
        let text = String(decoding: response.body, as: UTF8.self)
        let code = text.range(of: "<Code>").flatMap { start in
            text[start.upperBound...].range(of: "</Code>").map { String(text[start.upperBound..<$0.lowerBound]) }
        }
        return "the store answered \(response.status)\(code.map { " \($0)" } ?? "")"
    }
}

/// The parts' results, filled in from several threads.
final class PartResults: Sendable {
    private struct State {
        var parts: [CompletedPart?]
        var firstFailure: String?
    }
    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(parts: Array(repeating: nil, count: count))) }

    func set(_ index: Int, _ value: CompletedPart) { state.withLock { $0.parts[index] = value } }
    func fail(_ message: String) { state.withLock { if $0.firstFailure == nil { $0.firstFailure = message } } }
    var failed: Bool { state.withLock { $0.firstFailure != nil } }
    var failure: String? { state.withLock { $0.firstFailure } }
    var values: [CompletedPart] { state.withLock { $0.parts.compactMap { $0 } } }
}
