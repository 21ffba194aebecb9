import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

extension ShareService {
    /// Whether the request may see the share: it has no password, or the request carries a live unlock cookie for it.
    func isUnlocked(_ record: ShareRecord, _ request: HTTPRequest) -> Bool {
        guard record.password != nil else { return true }
        let time = Int64(now().timeIntervalSince1970)
        return request.headers.values("cookie").contains { header in
            CookieHeader.values(named: ShareUnlock.cookieName, in: header).contains { value in
                guard let unlock = SignedToken.open(ShareUnlock.self, value, purpose: ShareUnlock.purpose, secret: secret) else { return false }
                return unlock.share == record.id && time < unlock.expiresAt && (unlock.salt == nil || unlock.salt == record.password?.salt)
            }
        }
    }

    /// `POST /s/{id}/unlock` with the form field `password`: the right one sets the share's unlock cookie (`HttpOnly`,
    /// `SameSite=Strict`, scoped to `/s/{id}`, an hour) and goes back to the page (303); a wrong one shows the form
    /// again (403); too many attempts answer 429 with `Retry-After`.
    func unlockShare(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        let busy = { (record: ShareRecord?) in
            var response =
                record.map {
                    ViewPage.passwordForm($0, status: 429, message: "The gateway is checking many passwords right now. Try again in a second.")
                }
                ?? ViewPage.unavailable(
                    status: 429, title: "Busy", message: "The gateway is checking many passwords right now. Try again in a second.")
            response.headers.set("Retry-After", "1")
            return response
        }
        do {
            let form = try body.readAll(limit: 8 * 1024)
            guard ShareStore.isShareName(id) else {
                return ViewPage.unavailable(status: 404, title: "Share not found", message: "There is no share at this link.")
            }
            // What a guess may cost is settled before it costs anything: the attempt limits, then a place in the
            // hashing budget. Only then is the record read and the password hashed.
            if let wait = access.passwordAttempts.take(client: access.client(of: request), share: id) {
                var response = ViewPage.unavailable(
                    status: 429, title: "Too many attempts", message: "Too many attempts. Wait \(wait, as: "wait") seconds, then try again.")
                response.headers.set("Retry-After", String(wait))
                return response
            }
            guard access.passwordAttempts.hashing.enter() else { return busy(nil) }
            defer { access.passwordAttempts.hashing.leave() }
            guard let record = try shares.load(id) else {
                return ViewPage.unavailable(status: 404, title: "Share not found", message: "There is no share at this link.")
            }
            if let reason = record.unavailability(at: now()) {
                return ViewPage.unavailable(status: 410, title: "Share no longer available", message: reason)
            }
            guard let hash = record.password else { return Self.seeOther("/s/\(record.id)") }
            let password = FormBody.value(named: "password", in: form)
            guard let matched = access.passwordAttempts.hashing.run({ password.map { hash.matches($0) } ?? false }) else { return busy(record) }
            guard matched else {
                logger.info("share \(record.id): a wrong password")
                return ViewPage.passwordForm(record, status: 403, message: "That password is not right. Try again.")
            }
            let unlock = ShareUnlock(share: record.id, expiresAt: Int64(now().timeIntervalSince1970) + ShareUnlock.lifetime, salt: hash.salt)
            var response = Self.seeOther("/s/\(record.id)")
            let secure = settings.gateway.publicURL.hasPrefix("https:") ? "; Secure" : ""
            response.headers.set(
                "Set-Cookie",
                "\(ShareUnlock.cookieName)=\(SignedToken.seal(unlock, purpose: ShareUnlock.purpose, secret: secret)); Path=/s/\(record.id); "
                    + "Max-Age=\(ShareUnlock.lifetime); HttpOnly; SameSite=Strict\(secure)")
            return response
        } catch let error as HTTPBodyAfterContinue {
            throw error
        } catch {
            return errorPage(error)
        }
    }

    /// 303 to a path on this gateway.
    static func seeOther(_ path: String) -> HTTPResponse {
        var response = HTTPResponse(status: 303)
        response.headers.set("Location", path)
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}
