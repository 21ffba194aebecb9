import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import S3Client
import SigV4

extension UploadService {
    /// `POST /api/uploads`, on the event loop: checks the token and the declaration, then answers with a presigned PUT,
    /// a multipart plan or a POST-policy form, plus the upload id (a token the gateway signed). A plan that asks the
    /// store first (a token's quota, a multipart upload) is made on a worker.
    func declareUpload(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPLoopAnswer {
        let uploader = try access.requireUploader(request)
        let owner = access.owner(of: uploader)
        let declaration = try UploadDeclaration(try body.readAll(limit: 64 * 1024), settings: settings)
        let isMultipart = declaration.mode == .put && declaration.size > settings.uploads.multipartThreshold
        let wantsShell = request.queryItems.contains { $0.name == "format" && $0.value == "shell" }
        guard !wantsShell || (declaration.mode == .put && !isMultipart) else {
            throw GatewayError.badRequest(
                .shellUnavailable, "This upload needs a multipart or form plan, which one curl command cannot carry out: use dropgate upload.")
        }
        let client = access.client(of: request)
        guard owner != nil || isMultipart else {
            return .response(try planUpload(declaration, owner: owner, client: client, isMultipart: isMultipart, asShell: wantsShell))
        }
        return .onWorker {
            try self.access.verified(uploader)
            return try self.planUpload(declaration, owner: owner, client: client, isMultipart: isMultipart, asShell: wantsShell)
        }
    }

    /// The plan for a checked declaration: the JSON plan, or with `asShell` the curl command of a single PUT. With
    /// `reserve` (a file request's caps), the upload's key and the expiry of its id are reserved there before any URL
    /// is issued, in place of the owner's quota.
    func planUpload(
        _ declaration: UploadDeclaration, owner: String?, client: ClientAddress, isMultipart: Bool, asShell: Bool,
        reserve: ((_ key: String, _ idExpiresAt: Int64) throws -> Void)? = nil
    ) throws -> HTTPResponse {
        if let owner, reserve == nil { try access.quota.check(owner, size: declaration.size, at: Int64(now().timeIntervalSince1970)) }
        let date = now()
        let key = ObjectKey.make(filename: declaration.filename, date: date, random: random)
        let (urlExpiry, clamped) = try presignLifetime(settings.uploads.presignExpiry)
        let expiresAt = Int64(date.timeIntervalSince1970) + Int64(urlExpiry)
        // The upload id expires with its URLs, or for a multipart upload at the end of the resume window (fresh part
        // URLs come from POST /api/uploads/{id}/parts until then): after that nothing can complete it, so the sweeper
        // may delete what it left.
        let idExpiresAt =
            isMultipart ? Int64(date.timeIntervalSince1970) + Int64(try presignLifetime(settings.uploads.resumeWindow).seconds) : expiresAt
        do {
            try access.limiter.admit(client, key: key, size: declaration.size, expiresAt: Date(timeIntervalSince1970: TimeInterval(idExpiresAt)))
        } catch {
            throw GatewayError.rateLimited(error)
        }
        do {
            try reserve?(key, idExpiresAt)
        } catch {
            access.limiter.release(key: key)
            throw error
        }
        var token = UploadToken(
            key: key, filename: declaration.filename, size: declaration.size, contentType: declaration.contentType, sha256: declaration.sha256,
            shareExpiresIn: declaration.expiresIn, maxDownloads: declaration.maxDownloads, uploadID: nil, expiresAt: idExpiresAt, owner: owner,
            sealedRecordSize: declaration.sealedRecordSize)
        let send: UploadPlan.Send
        var putHeaders: HTTPHeaders = []
        if declaration.mode == .post {
            let form = try postForm(key: key, declaration: declaration, expires: urlExpiry)
            send = .post(url: form.url, fields: form.fields)
        } else if isMultipart {
            token.sha256 = nil  // a multipart object has no whole-object SHA-256 to compare; size and type are checked
            let uploadID = try self.client.createMultipartUpload(key: key, contentType: declaration.contentType)
            token.uploadID = uploadID
            let partSize = Self.partSize(for: declaration.size, preferred: settings.uploads.partSize)
            token.partSize = partSize
            let count = Int((declaration.size + partSize - 1) / partSize)
            let parts = try partURLs(token, numbers: Array(1...count), expires: urlExpiry)
            send = .multipart(
                MultipartPlan(
                    uploadId: uploadID, partSize: partSize, parts: parts, resumableUntil: Date(timeIntervalSince1970: TimeInterval(idExpiresAt))))
        } else {
            putHeaders = [
                .init("Content-Type", declaration.contentType), .init("Content-Length", String(declaration.size)), .init("If-None-Match", "*"),
                .init("Cache-Control", UploadCheck.signedCacheControl),
            ]
            if let sha256 = declaration.sha256 { putHeaders.append(.init("x-amz-checksum-sha256", sha256)) }
            if let acl = uploadACL { putHeaders.append(.init("x-amz-acl", acl)) }
            let url = try presigner.url(method: "PUT", bucket: settings.storage.bucket, key: key, expires: urlExpiry, headers: putHeaders)
            send = .put(url: url, headers: Dictionary(putHeaders.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
            metrics.presigned(1)
        }
        let id = token.encoded(secret: secret)
        if asShell, case .put(let url, _) = send {
            let command = curlCommand(filename: declaration.filename, headers: putHeaders, url: url, uploadID: id)
            return HTTPResponse(status: 201, contentType: "text/plain; charset=utf-8", body: command + "\n")
        }
        let plan = UploadPlan(
            id: id, key: key, expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresAt)),
            expiryClamped: clamped ? "The upload URLs expire early: the gateway's temporary storage credentials expire then." : nil,
            send: send, transfer: transferPolicy)
        return HTTPResponse.json(bytes: (try? plan.jsonBytes()) ?? HTTPResponse.notEncoded, status: 201)
    }

    /// S3's part rules: at most 10,000 parts of 5 MiB to 5 GiB (the last smaller), so the part size grows with the file
    /// past `preferred` when it must; a 5 TiB file gets 10,000 parts of 525 MiB (rounded up to a whole MiB).
    static func partSize(for size: Int64, preferred: Int64) -> Int64 {
        let mebibyte: Int64 = 1 << 20
        let needed = (size + 9_999) / 10_000
        let rounded = (needed + mebibyte - 1) / mebibyte * mebibyte
        return min(5 << 30, max(5 << 20, preferred, rounded))
    }

    /// The canned ACL presigned uploads sign (`storage.uploadACL`), if any.
    var uploadACL: String? { settings.storage.uploadACL == .none ? nil : settings.storage.uploadACL.rawValue }

    /// How clients move the bytes; the same for every plan, so neither the web page nor the CLI hard-codes it.
    var transferPolicy: TransferPolicy { TransferPolicy(parallelParts: 4, partAttempts: 3) }

    /// The shell command that uploads the file with curl and then completes the upload, printing the share link
    /// (`?format=shell`). `--fail-with-body` makes a refused PUT exit non-zero (with the store's XML shown) so the
    /// completion never runs.
    func curlCommand(filename: String, headers: HTTPHeaders, url: String, uploadID: String) -> String {
        let headerWords = headers.filter { $0.name != "Content-Length" }.map { " -H " + Self.shellQuote("\($0.name): \($0.value)") }
        return "curl --fail-with-body -sS -T \(Self.shellQuote(filename))\(headerWords.joined()) \(Self.shellQuote(url))"
            + " && curl --fail-with-body -sS -X POST -H 'Accept: text/plain' \(Self.shellQuote("\(publicBase)/api/uploads/\(uploadID)/complete"))"
    }

    /// A POST-policy form for the store's public endpoint, exact size enforced by content-length-range.
    func postForm(key: String, declaration: UploadDeclaration, expires: Int) throws -> (url: String, fields: [String: String]) {
        var fields: [(name: String, value: String)] = [("Content-Type", declaration.contentType), ("success_action_status", "201")]
        if let sha256 = declaration.sha256 { fields.append(("x-amz-checksum-sha256", sha256)) }
        if let acl = uploadACL { fields.append(("acl", acl)) }
        let form = try presigner.signer.postForm(
            bucket: settings.storage.bucket, key: key, contentLength: declaration.size...declaration.size, fields: fields, expires: expires)
        let (host, path) = presigner.endpoint.location(bucket: settings.storage.bucket, key: "")
        let url = "\(presigner.endpoint.scheme)://\(host)\(path.isEmpty ? "/" : path)"
        return (url, Dictionary(form.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Single-quotes a word for a POSIX shell: `'` becomes `'\''`.
    static func shellQuote(_ word: String) -> String { "'" + word.replacing("'", with: #"'\''"#) + "'" }
}
