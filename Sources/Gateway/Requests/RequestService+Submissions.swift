import Crypto
import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

extension RequestService {
    /// `POST /api/requests/{id}/submissions`: a sender hands over the files they uploaded to the request (their
    /// receipts), with an optional name and email; the answer is their receipt, which names only their own files.
    func submit(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let record = try existing(request)
        if try requests.isClosed(record.id) { throw FileRequests.closedRefusal("Its owner closed it.") }
        if seconds >= record.expiresAt { throw FileRequests.closedRefusal("It has expired.") }
        try requirePass(request, for: record)
        let bytes = try body.readAll(limit: Gateway.largestBody)
        try GatewayError.checkStrict(bytes, FileSubmissionRequest.shape)
        guard let input = try? APIJSON.decode(FileSubmissionRequest.self, from: bytes), let receipts = input.files, !receipts.isEmpty,
            receipts.count <= record.maxFiles
        else {
            throw GatewayError.badRequest(
                .noFiles, #"A submission is {"files": ["<receipt>", …], "name": "…", "email": "…"}, with 1 to maxFiles files."#)
        }
        let name = try Self.sender(input.name, field: "name")
        let email = try Self.sender(input.email, field: "email")
        let files = try sharing.verifiedFiles(receipts, owner: FileRequests.indexName(record.id))
        let sealed = try SealedSubmission(input, request: record, files: files)
        // Indexed first, so the sweeper keeps the files from here on, and no share can take them.
        for file in files {
            if let other = try sharing.shares.saveIndex(uploadKey: file.uploadKey, shareID: FileRequests.indexName(record.id)),
                other != FileRequests.indexName(record.id)
            {
                throw GatewayError(409, .alreadyShared, "\(file.file.filename, as: "filename") is already shared elsewhere.")
            }
        }
        let kept = try requests.submit(record, files: files, name: name, email: email, sealed: sealed, at: Int64(now().timeIntervalSince1970 * 1_000))
        if record.notify == true { try requests.recordEvent(record, submission: kept) }
        sharing.notices.publish(
            .requestSubmitted, subject: "\(record.id)/\(kept.id)", owner: record.owner,
            data: NoticeEvent.Details(
                title: record.title, request: record.id, submission: kept.id, files: kept.files.count, bytes: kept.files.reduce(0) { $0 + $1.size }))
        logger.info("file request \(record.id) got \(kept.files.count) file(s)")
        return HTTPResponse.json(submission(kept, request: record, links: false), status: 201)
    }

    /// A sender's name or email as typed: trimmed, at most 200 characters, no control characters.
    static func sender(_ text: String?, field: String) throws -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= 200, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw GatewayError.badRequest(.badRequest, "\(field, as: "field") must be at most 200 characters, with no control characters.")
        }
        return trimmed
    }

    /// A submission on the wire; with `links`, each file's download route for the owner.
    func submission(_ kept: FileRequests.Submission, request: FileRequestRecord, links: Bool) -> FileSubmission {
        FileSubmission(
            id: kept.id, at: Date(timeIntervalSince1970: TimeInterval(kept.at) / 1_000), name: kept.name, email: kept.email,
            files: kept.files.enumerated().map { index, file in
                SubmittedFile(
                    name: file.filename, size: file.size, contentType: file.contentType,
                    url: links ? "/api/requests/\(request.id)/submissions/\(kept.id)/files/\(index + 1)" : nil)
            }, keyWrap: links ? kept.keyWrap : nil, manifest: links ? kept.manifest : nil)
    }

    /// The request's owner, or 401/403: the account that made it (signed in, with the CSRF token when `changing`, or a
    /// personal token with the `shares` scope), or the bearer of its owner token.
    func requireOwner(_ request: HTTPRequest, of record: FileRequestRecord, changing: Bool) throws {
        if let hash = record.ownerTokenHash {
            let prefix = "dgr.\(record.id)."
            guard let bearer = Gateway.bearer(request), bearer.hasPrefix(prefix), bearer.utf8.count <= 200,
                ConstantTime.equals(Array(hash.utf8), Array(Hex.string(SHA256.hash(data: Array(bearer.dropFirst(prefix.count).utf8))).utf8))
            else { throw GatewayError(401, .unauthorized, "Managing this request needs its owner token: Authorization: Bearer dgr.….") }
            return
        }
        let owner = try accounts.shareOwner(request, changing: changing)
        guard let expected = record.owner, ConstantTime.equals(Array(expected.utf8), Array(owner.utf8)) else {
            throw GatewayError(403, .unauthorized, "This file request is not yours.")
        }
    }

    /// `GET /api/requests/{id}/submissions`: for its owner, the request and every submission, with download routes.
    func detail(_ request: HTTPRequest) throws -> HTTPResponse {
        let record = try existing(request)
        try requireOwner(request, of: record, changing: false)
        let kept = try requests.submissions(record.id).map { submission($0, request: record, links: true) }
        let detail = FileRequestDetail(request: try info(record), submissions: kept, sealedPrivateKey: record.encryption?.sealedPrivateKey)
        var response = HTTPResponse.json(detail, status: 200)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `GET /api/requests/{id}/submissions/{sid}/files/{n}`: for its owner, a fresh presigned GET of one file.
    func download(_ request: HTTPRequest) throws -> HTTPResponse {
        let record = try existing(request)
        try requireOwner(request, of: record, changing: false)
        let sid = request.pathParameters["sid"] ?? ""
        guard let kept = try requests.submission(record.id, sid), let text = request.pathParameters["n"],
            text.utf8.count <= 4, let number = Int(text), (1...kept.files.count).contains(number)
        else { throw GatewayError(404, .notFound, "This request has no such file.") }
        let url = try sharing.presignedGet(kept.files[number - 1], disposition: "attachment")
        var response = HTTPResponse.json(DownloadLink(url: url), status: 200)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `DELETE /api/requests/{id}/submissions/{sid}`: for its owner, a submission and its files go for good.
    func deleteSubmission(_ request: HTTPRequest) throws -> HTTPResponse {
        let record = try existing(request)
        try requireOwner(request, of: record, changing: true)
        let sid = request.pathParameters["sid"] ?? ""
        guard try requests.delete(record, submission: sid) else {
            throw GatewayError(404, .notFound, "This request has no submission \(sid, as: "sid").")
        }
        logger.info("file request \(record.id): a submission was deleted by its owner")
        return HTTPResponse(status: 204)
    }

    /// `POST /api/requests/{id}/close`: for its owner; no plan or submission is taken from then on, on any gateway.
    func close(_ request: HTTPRequest) throws -> HTTPResponse {
        let record = try existing(request)
        try requireOwner(request, of: record, changing: true)
        try requests.close(record.id)
        return HTTPResponse.json(try info(record), status: 200)
    }

    /// `GET /api/me/requests`: the signed-in user's requests, newest first.
    func mine(_ request: HTTPRequest) throws -> HTTPResponse {
        let owner = try accounts.shareOwner(request, changing: false)
        let prefix = Self.accountIndex(owner)
        let ids = try sharing.client.listObjects(prefix: prefix, maxKeys: 1_000).objects.map { String($0.key.dropFirst(prefix.count)) }
        let listed = try ids.compactMap { try requests.load($0) }.sorted { $0.createdAt > $1.createdAt }.prefix(100).map(info)
        return HTTPResponse.json(FileRequestList(requests: Array(listed)), status: 200)
    }

    struct DownloadLink: Encodable {
        var url: String
    }
}
