import Foundation
import HTTPServer
import HTTPWire

/// A signed-in user, as the signed `dg_session` cookie carries them: no gateway keeps sessions, and a cookie of
/// another purpose, or one changed by a byte, is no session.
struct UserSession: Codable, Sendable, Equatable {
    static let purpose = "session"
    static let cookieName = "dg_session"
    /// A cookie seen again after this many seconds is written anew with the time, which the idle timeout counts from.
    static let refreshAfter: Int64 = 60

    /// Random, per sign-in: what the CSRF token is made from.
    var id: String
    /// The provider's `sub`: the account.
    var subject: String
    var name: String
    var admin: Bool
    var issuedAt: Int64
    var seenAt: Int64
    /// When it was issued, to the millisecond (for signing out everywhere); absent in cookies from before it.
    var issuedAtMs: Int64? = nil

    /// When it was issued, to the millisecond; the start of its second for an older cookie.
    var issuedAtMilliseconds: Int64 { issuedAtMs ?? issuedAt * 1_000 }
}

/// Reads, checks and writes session cookies under the deployment's lifetime and idle timeout.
struct SessionCookies: Sendable {
    let secret: String
    let lifetime: Int64
    let idleTimeout: Int64
    /// `Secure` on cookies when the public URL is https.
    let secure: Bool
    let now: @Sendable () -> Date

    var clock: Int64 { Int64(now().timeIntervalSince1970) }

    /// The request's live session, or nil (none, tampered, past its lifetime, or idle too long).
    func session(of request: HTTPRequest) -> UserSession? {
        guard let header = request.headers["cookie"] else { return nil }
        let time = clock
        for value in CookieHeader.values(named: UserSession.cookieName, in: header) {
            guard let session = SignedToken.open(UserSession.self, value, purpose: UserSession.purpose, secret: secret) else { continue }
            guard time < session.issuedAt + lifetime, time < session.seenAt + idleTimeout else { continue }
            return session
        }
        return nil
    }

    /// The CSRF token of `session`: sent with every state-changing request that the cookie authenticates.
    func csrfToken(of session: UserSession) -> String {
        Base64URL.encode(SignedToken.mac(session.id, purpose: "csrf", secret: secret))
    }

    /// Whether the request carries the session's CSRF token in `X-CSRF-Token`, compared in constant time.
    func carriesCSRFToken(_ request: HTTPRequest, of session: UserSession) -> Bool {
        guard let given = request.headers["x-csrf-token"] else { return false }
        return ConstantTime.equals(Array(given.utf8), Array(csrfToken(of: session).utf8))
    }

    /// `Set-Cookie` for `session` (HttpOnly, SameSite=Lax, Secure on https), living as long as it may.
    func setCookie(_ session: UserSession) -> String {
        let maxAge = max(0, min(session.issuedAt + lifetime, session.seenAt + idleTimeout) - clock)
        return "\(UserSession.cookieName)=\(SignedToken.seal(session, purpose: UserSession.purpose, secret: secret)); Path=/; "
            + "Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")"
    }

    /// `Set-Cookie` that ends the session in this browser.
    var clearCookie: String { "\(UserSession.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")" }

    /// The cookie to write back when the session was last seen over a minute ago (the idle timeout slides), else nil.
    func refreshed(_ session: UserSession) -> String? {
        let time = clock
        guard time - session.seenAt >= UserSession.refreshAfter else { return nil }
        var seen = session
        seen.seenAt = time
        return setCookie(seen)
    }
}
