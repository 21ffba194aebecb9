import Crypto
import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import Logging

/// File requests: a link that lets anyone upload to its owner, within caps that hold at the store (every URL signs
/// its exact length) and across gateways (every upload is held in the request's usage before its URLs are issued).
struct RequestService: Sendable {
    let settings: GatewaySettings
    let requests: FileRequests
    let uploads: UploadService
    let accounts: AccountService
    let random: RandomBytes
    let logger: Logger
    let now: @Sendable () -> Date

    var sharing: ShareService { uploads.sharing }
    var publicBase: String { uploads.publicBase }
    var seconds: Int64 { Int64(now().timeIntervalSince1970) }

    /// `POST /api/requests`: signed in (or with a personal token), the request is the account's; otherwise, where
    /// anyone (or a holder of an upload token) may upload, it comes with an owner token that manages it.
    func create(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let account = try creatorAccount(request)
        // Counted against the client's declarations a minute, as an upload is: a flood of requests costs the flooder.
        let admission = "request:" + Base64URL.random(bytes: 9, from: random)
        do {
            try sharing.access.limiter.admit(sharing.access.client(of: request), key: admission, size: 0, expiresAt: now().addingTimeInterval(60))
        } catch {
            throw GatewayError.rateLimited(error)
        }
        sharing.access.limiter.release(key: admission)
        let bytes = try body.readAll(limit: 16 * 1024)
        try GatewayError.checkStrict(bytes, FileRequestCreate.shape)
        guard let input = try? APIJSON.decode(FileRequestCreate.self, from: bytes) else {
            throw GatewayError.badRequest(
                .invalidJSON, #"A request is {"title": "…", "maxFiles": n, "maxBytes": bytes, "maxFileBytes": bytes, "expiresIn": seconds, …}."#)
        }
        var record = try FileRequestTerms.record(input, settings: settings, id: Base64URL.random(bytes: 16, from: random), now: seconds)
        if let password = try input.password.flatMap(ShareService.validPassword) { record.password = try sharing.access.hashed(password) }
        var ownerToken: String?
        if let account {
            record.owner = account
        } else {
            let secret = Base64URL.random(bytes: 32, from: random)
            ownerToken = "dgr.\(record.id).\(secret)"
            record.ownerTokenHash = Hex.string(SHA256.hash(data: Array(secret.utf8)))
        }
        guard try requests.create(record) else { throw GatewayError(503, .busy, "A request of the same id exists: try again.", retryAfter: 1) }
        if let account {
            _ = try sharing.client.create(key: Self.accountIndex(account) + record.id, body: [], contentType: "text/plain")
        }
        logger.info("file request \(record.id) made\(account == nil ? " with an owner token" : "")")
        return HTTPResponse.json(FileRequestCreated(request: try info(record), ownerToken: ownerToken), status: 201)
    }

    static func accountIndex(_ owner: String) -> String { ".dropgate/accounts/\(owner)/requests/" }

    /// The account making a request, or nil where anyone (or a holder of an upload token) may upload.
    func creatorAccount(_ request: HTTPRequest) throws -> String? {
        let uploader = try sharing.access.requireUploader(request)
        switch uploader {
        case .account, .personal:
            try sharing.access.verified(uploader)
            if case .account = uploader, let session = accounts.sessions.session(of: request),
                !accounts.sessions.carriesCSRFToken(request, of: session)
            {
                throw AccountService.csrfRefusal
            }
            return sharing.access.owner(of: uploader)
        case .anyone, .token: return nil
        }
    }

    /// `GET /api/requests/{id}`: what the request asks senders for, and what is left.
    func show(_ request: HTTPRequest) throws -> HTTPResponse {
        HTTPResponse.json(try info(try existing(request)), status: 200)
    }

    func existing(_ request: HTTPRequest) throws -> FileRequestRecord {
        let id = request.pathParameters["id"] ?? ""
        guard let record = try requests.load(id) else { throw GatewayError(404, .unknownRequest, "There is no file request \(id, as: "id").") }
        return record
    }

    /// The request as senders see it.
    func info(_ record: FileRequestRecord) throws -> FileRequestInfo {
        let usage = try requests.usage(record.id).latest()?.state ?? RequestUsage()
        return FileRequestInfo(
            id: record.id, url: "\(publicBase)/r/\(record.id)", title: record.title, note: record.note, maxFiles: record.maxFiles,
            maxBytes: record.maxBytes, maxFileBytes: record.maxFileBytes, allowedTypes: record.allowedTypes,
            expiresAt: Date(timeIntervalSince1970: TimeInterval(record.expiresAt)), multiple: record.multiple,
            filesLeft: max(0, record.maxFiles - usage.files), bytesLeft: max(0, record.maxBytes - usage.bytes),
            closed: try closedReason(record, usage: usage)?.english, passwordRequired: record.password == nil ? nil : true,
            publicKey: record.encryption?.publicKey)
    }

    /// Why the request takes no more files, if it does not.
    func closedReason(_ record: FileRequestRecord, usage: RequestUsage) throws -> Wording? {
        if try requests.isClosed(record.id) { return "Its owner closed it." }
        if seconds >= record.expiresAt { return "It has expired." }
        if !record.multiple, usage.submissions > 0 { return "It took its one submission." }
        return nil
    }

    /// `POST /api/requests/{id}/uploads`: a sender's file, declared as `POST /api/uploads` takes it, within the caps.
    func declare(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let record = try existing(request)
        if let reason = try closedReason(record, usage: RequestUsage()) { throw FileRequests.closedRefusal(reason) }
        try requirePass(request, for: record)
        let declaration = try UploadDeclaration(try body.readAll(limit: 64 * 1024), settings: settings)
        switch (record.encryption, declaration.sealedRecordSize) {
        case (nil, .some):
            throw GatewayError.badRequest(.invalidEncryption, "This request is not encrypted: send the file as it is.")
        case (.some, nil):
            throw GatewayError.badRequest(
                .invalidEncryption, "This request is encrypted to its owner: its page, or dropgate, encrypts each file before it goes.")
        default: break
        }
        guard declaration.size <= record.maxFileBytes else {
            throw GatewayError(
                413, .requestFull,
                "This file (\(ClientLimiter.words(declaration.size), as: "size")) is over the request's \(ClientLimiter.words(record.maxFileBytes), as: "maxFileBytes") a file."
            )
        }
        let type = MediaType(declaration.contentType)?.essence ?? declaration.contentType
        guard record.allows(type: type) else {
            throw GatewayError(
                415, .typeNotAllowed,
                "This request takes only \(record.allowedTypes.joined(separator: ", "), as: "allowedTypes"); this file is \(type, as: "type").")
        }
        let isMultipart = declaration.mode == .put && declaration.size > settings.uploads.multipartThreshold
        return try uploads.planUpload(
            declaration, owner: FileRequests.indexName(record.id), client: sharing.access.client(of: request), isMultipart: isMultipart,
            asShell: false
        ) { key, expiresAt in
            try requests.reserve(record, key: key, size: declaration.size, expiresAt: expiresAt, now: seconds)
        }
    }
}
