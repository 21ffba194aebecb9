import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

extension RequestService {
    static let passPurpose = "request-pass"
    static let passHeader = "x-request-pass"

    /// `POST /api/requests/{id}/unlock`: the right password answers a pass (signed, an hour, void once the password
    /// changes) that the sender's uploads and submission carry; a wrong one is 403. Guesses are bounded per client and
    /// per request, and hashing takes its place in the gateway's budget, before anything is read or hashed.
    func unlock(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        let bytes = try body.readAll(limit: 4 * 1024)
        guard ShareStore.isValidID(id) else { throw GatewayError(404, .unknownRequest, "There is no file request \(id, as: "id").") }
        let access = sharing.access
        if let wait = access.passwordAttempts.take(client: access.client(of: request), share: FileRequests.indexName(id)) {
            throw GatewayError(429, .rateLimited, "Too many attempts. Wait \(wait, as: "wait") seconds, then try again.", retryAfter: wait)
        }
        let busy = GatewayError(503, .busy, "The gateway is checking many passwords right now; try again in a second.", retryAfter: 1)
        guard access.passwordAttempts.hashing.enter() else { throw busy }
        defer { access.passwordAttempts.hashing.leave() }
        guard let record = try requests.load(id) else { throw GatewayError(404, .unknownRequest, "There is no file request \(id, as: "id").") }
        guard let hash = record.password else { throw GatewayError.badRequest(.badRequest, "This request has no password.") }
        try GatewayError.checkStrict(bytes, RequestUnlock.shape)
        let password = (try? APIJSON.decode(RequestUnlock.self, from: bytes))?.password ?? ""
        guard let matched = access.passwordAttempts.hashing.run({ hash.matches(password) }) else { throw busy }
        guard matched else {
            logger.info("file request \(record.id): a wrong password")
            throw GatewayError(403, .passwordRequired, "That password is not right. Try again.")
        }
        let expiresAt = seconds + ShareUnlock.lifetime
        let pass = ShareUnlock(share: record.id, expiresAt: expiresAt, salt: hash.salt)
        return HTTPResponse.json(
            RequestPass(
                pass: SignedToken.seal(pass, purpose: Self.passPurpose, secret: uploads.secret),
                expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresAt))), status: 200)
    }

    /// Refuses (401) a sender of a request with a password who carries no valid pass for it.
    func requirePass(_ request: HTTPRequest, for record: FileRequestRecord) throws {
        guard let hash = record.password else { return }
        guard let text = request.headers[Self.passHeader],
            let pass = SignedToken.open(ShareUnlock.self, text, purpose: Self.passPurpose, secret: uploads.secret), pass.share == record.id,
            seconds < pass.expiresAt, pass.salt == hash.salt
        else {
            throw GatewayError(401, .passwordRequired, "This request asks for a password first (POST /api/requests/\(record.id, as: "id")/unlock).")
        }
    }
}
