import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

/// Mail from the gateway: a share's link sent to people (by its owner, or the holder of its delete token), and which
/// events mail a signed-in user. Without `mail.host` every route here answers 404: the feature is hidden, not broken.
struct MailService: Sendable {
    let sharing: ShareService
    let accounts: AccountService
    let queue: MailQueue
    let preferences: NoticePreferences
    /// Recipients an hour, per sender and per client address.
    let limiter: AttemptLimiter

    static let messageLimit = 2_000

    func requireMail() throws {
        guard queue.settings.isEnabled else { throw GatewayError(404, .notFound, "This gateway sends no mail (mail.host is not set).") }
    }

    /// `POST /api/shares/{id}/mail`: the link (never the file) to up to `mail.maxRecipients` people, queued: 202.
    func mailShare(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        try requireMail()
        let id = request.pathParameters["id"] ?? ""
        guard let record = try sharing.shares.load(id, counting: false) else {
            throw GatewayError(404, .unknownShare, "There is no share \(id, as: "id").")
        }
        let sender = try self.sender(request, of: record)
        if let reason = record.unavailability(at: sharing.now()) { throw GatewayError(410, .shareUnavailable, reason) }
        guard record.encrypted != true else {
            throw GatewayError.badRequest(
                .invalidMail,
                "An end-to-end encrypted share's key never reaches this server, so it cannot mail a link that opens: send the link yourself.")
        }
        let bytes = try body.readAll(limit: 16 * 1024)
        try GatewayError.checkStrict(bytes, ShareMail.shape)
        guard let input = try? APIJSON.decode(ShareMail.self, from: bytes), let typed = input.to, !typed.isEmpty else {
            throw GatewayError.badRequest(.invalidMail, #"A mail is {"to": ["name@example.org", …], "message": "…"}."#)
        }
        let most = queue.settings.maxRecipients
        guard typed.count <= most else {
            throw GatewayError.badRequest(.invalidMail, "A mail goes to at most \(most, as: "most") people (mail.maxRecipients).")
        }
        var recipients: [String] = []
        for address in typed {
            do {
                let checked = try MailMessage.address(address)
                if !recipients.contains(where: { $0.caseInsensitiveCompare(checked) == .orderedSame }) { recipients.append(checked) }
            } catch let refusal as MailMessage.Refusal {
                throw GatewayError.badRequest(.invalidMail, refusal.wording)
            }
        }
        let message = try Self.message(input.message)
        let client = sharing.access.client(of: request).text
        for _ in recipients {
            if let wait = limiter.take(["sender:" + sender.key, "client:" + client]) {
                throw GatewayError(
                    429, .rateLimited, "Too many mails of links for now (mail.perHour recipients an hour): try again in \(wait, as: "wait") s.",
                    retryAfter: wait)
            }
        }
        let mail = Self.linkMail(record, sharing: sharing, to: recipients, from: sender.name, message: message)
        try queue.enqueue(mail, key: "link-" + Base64URL.random(bytes: 16))
        sharing.logger.info("share \(record.id): its link was queued for \(recipients.count) recipient(s)")
        return HTTPResponse.json(["queued": recipients.count], status: 202)
    }

    /// Who sends: the holder of the share's delete token, or its owner signed in (or with a personal token).
    func sender(_ request: HTTPRequest, of record: ShareRecord) throws -> (key: String, name: String?) {
        if let bearer = Gateway.bearer(request), DeleteToken.verify(bearer, shareID: record.id, secret: sharing.secret) {
            return ("share:" + record.id, nil)
        }
        let owner = try accounts.shareOwner(request, changing: true)
        guard let expected = record.owner, ConstantTime.equals(Array(expected.utf8), Array(owner.utf8)) else {
            throw GatewayError(403, .unauthorized, "Only the share's owner, or the holder of its delete token, can mail its link.")
        }
        return ("owner:" + owner, accounts.sessions.session(of: request)?.name ?? accounts.profiles.profile(owner)?.name)
    }

    /// The sender's message: at most 2,000 characters, line breaks kept, no other control character.
    static func message(_ typed: String?) throws -> String? {
        guard let text = typed?.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
        else { return nil }
        guard text.count <= messageLimit,
            !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" })
        else {
            throw GatewayError.badRequest(
                .invalidMail, "message must be at most \(messageLimit, as: "most") characters, with no control characters but line breaks.")
        }
        return text
    }

    static func linkMail(_ record: ShareRecord, sharing: ShareService, to recipients: [String], from name: String?, message: String?) -> MailMessage {
        let details = sharing.eventDetails(record)
        let who =
            name.map { String(String.UnicodeScalarView($0.unicodeScalars.filter { $0.properties.generalCategory != .control }.prefix(100))) }
            ?? "Someone"
        let title = details.title ?? "files"
        var paragraphs = [MailMessage.Paragraph(text: "\(who) shared “\(title)” with you (\(SizeText.words(details.bytes ?? 0))).")]
        if let message { paragraphs.append(MailMessage.Paragraph(text: message)) }
        let until = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(record.expiresAt))).replacingOccurrences(
            of: "T", with: " ")
        paragraphs.append(MailMessage.Paragraph(text: "Open it before \(until) (UTC):", link: details.url))
        if record.password != nil { paragraphs.append(MailMessage.Paragraph(text: "It asks for a password, which the sender gives you apart.")) }
        paragraphs.append(
            MailMessage.Paragraph(text: "The files are not attached: the link is the only way to them. Sent by Dropgate at \(sharing.publicBase)."))
        return MailMessage(to: recipients, subject: "\(who) shared “\(title)” with you", paragraphs: paragraphs)
    }

    /// `GET /api/me/notices`: the events that mail the user, and the ones that can.
    func notices(_ request: HTTPRequest) throws -> HTTPResponse {
        let owner = try accounts.shareOwner(request, changing: false)
        let kinds = try preferences.mail(of: owner, fresh: true)
        return HTTPResponse.json(
            NoticeSettings(
                mail: kinds.map(\.rawValue), mailable: NoticePreferences.mailable.map(\.rawValue), mailEnabled: queue.settings.isEnabled), status: 200
        )
    }

    /// `PUT /api/me/notices`: which events mail the user (to the address their provider gave at sign-in).
    func setNotices(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        try requireMail()
        let owner = try accounts.shareOwner(request, changing: true)
        let bytes = try body.readAll(limit: 4 * 1024)
        try GatewayError.checkStrict(bytes, NoticeSettings.shape)
        guard let input = try? APIJSON.decode(NoticeSettings.self, from: bytes), let names = input.mail else {
            throw GatewayError.badRequest(.invalidMail, #"Notices are {"mail": ["request.submitted", …]}."#)
        }
        let kinds = try names.map { name in
            guard let kind = NoticeEvent.Kind(rawValue: name), NoticePreferences.mailable.contains(kind) else {
                throw GatewayError.badRequest(
                    .invalidMail,
                    "\(name, as: "name") cannot mail you; these can: \(NoticePreferences.mailable.map(\.rawValue).joined(separator: ", "), as: "choices")."
                )
            }
            return kind
        }
        try preferences.setMail(Array(Set(kinds)).sorted { $0.rawValue < $1.rawValue }, of: owner)
        return try notices(request)
    }
}

extension MailService {
    /// `GET` and `PUT /api/shares/{id}/notices`: the events that mail the owner about this share (`{"mail": null}`: as
    /// their page says for every share).
    func shareNotices(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        let changing = request.method == "PUT"
        let owner = try accounts.shareOwner(request, changing: changing)
        guard let record = try sharing.shares.load(id, counting: false), let expected = record.owner,
            ConstantTime.equals(Array(expected.utf8), Array(owner.utf8))
        else { throw GatewayError(404, .unknownShare, "You have no share \(id, as: "id").") }
        if changing {
            try requireMail()
            let bytes = try body.readAll(limit: 4 * 1024)
            try GatewayError.checkStrict(bytes, NoticeSettings.shape)
            guard let input = try? APIJSON.decode(NoticeSettings.self, from: bytes) else {
                throw GatewayError.badRequest(
                    .invalidMail, #"A share's notices are {"mail": ["share.downloaded", …]}, or {"mail": null} for your default."#)
            }
            let kinds = try input.mail.map { names in
                try names.map { name in
                    guard let kind = NoticeEvent.Kind(rawValue: name), NoticePreferences.mailable.contains(kind), kind != .requestSubmitted else {
                        throw GatewayError.badRequest(
                            .invalidMail,
                            "\(name, as: "name") cannot mail you about a share; these can: share.downloaded, share.download_limit_reached, share.expiring."
                        )
                    }
                    return kind
                }
            }
            try preferences.setMail(kinds.map { Array(Set($0)).sorted { $0.rawValue < $1.rawValue } }, ofShare: record.id)
        }
        let kinds = try preferences.mail(ofShare: record.id, fresh: true)
        return HTTPResponse.json(
            NoticeSettings(mail: kinds?.map(\.rawValue), mailable: NoticePreferences.mailable.map(\.rawValue), mailEnabled: queue.settings.isEnabled),
            status: 200)
    }
}
