import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import Logging
import OpenIDConnect

/// Signing in with the deployment's OpenID provider (authorization code flow with PKCE, `state` and `nonce`),
/// the signed session cookie it leaves, signing out, and `GET /api/me`.
struct AccountService: Sendable {
    let settings: GatewaySettings
    /// Nil while `auth.oidc.issuer` is unset: every sign-in route then says so.
    let provider: OpenIDProvider?
    let sessions: SessionCookies
    /// The shares (and, through its access guard, the usage records) that `/api/me/shares` lists.
    let sharing: ShareService
    /// Personal API tokens.
    let tokens: PersonalTokens
    /// Who each account is, for the admin.
    let profiles: AccountProfiles
    let random: RandomBytes
    let secret: String
    let publicBase: String
    let logger: Logger
    let now: @Sendable () -> Date

    var redirectURI: String { publicBase + SignInState.path }

    /// `GET /auth/login?return=/path`: to the provider's authorization endpoint, with this sign-in's state in a cookie.
    func signIn(_ request: HTTPRequest) -> HTTPResponse {
        guard let provider else { return Self.page(404, "Sign-in is off", "This Dropgate has no sign-in provider.") }
        do {
            let metadata = try provider.documents.metadata()
            let pkce = PKCE.random()
            let state = SignInState(
                state: PKCE.randomToken(), nonce: PKCE.randomToken(), verifier: pkce.verifier,
                returnTo: SignInState.localPath(request.queryValue("return")), expiresAt: Int64(now().timeIntervalSince1970) + SignInState.lifetime)
            let query: [(String, String)] = [
                ("response_type", "code"), ("client_id", provider.clientID), ("redirect_uri", redirectURI),
                ("scope", settings.auth.oidc.scopes.joined(separator: " ")), ("state", state.state), ("nonce", state.nonce),
                ("code_challenge", pkce.challenge), ("code_challenge_method", PKCE.method),
            ]
            let endpoint = metadata.authorizationEndpoint.absoluteString
            let separator = endpoint.contains("?") ? "&" : "?"
            var response = HTTPResponse(status: 302)
            response.headers.set(
                "Location", endpoint + separator + query.map { "\($0.0)=\(PercentEncoding.encode($0.1))" }.joined(separator: "&"))
            response.headers.set("Cache-Control", "no-store")
            response.headers.set(
                "Set-Cookie",
                "\(SignInState.cookieName)=\(SignedToken.seal(state, purpose: SignInState.purpose, secret: secret)); Path=\(SignInState.path); "
                    + "Max-Age=\(SignInState.lifetime); HttpOnly; SameSite=Lax\(sessions.secure ? "; Secure" : "")")
            return response
        } catch let failure as SignInFailure {
            return Self.page(failure.status, "Sign-in is unavailable", failure.message)
        } catch {
            return Self.page(503, "Sign-in is unavailable", "The sign-in provider could not be reached. Try again in a minute.")
        }
    }

    /// `POST /auth/logout`: ends the session in this browser (the CSRF token is required), and names the provider's
    /// logout page when it has one.
    func signOut(_ request: HTTPRequest) throws -> HTTPResponse {
        var next = "/"
        if let session = sessions.session(of: request) {
            guard sessions.carriesCSRFToken(request, of: session) else { throw Self.csrfRefusal }
            if let provider, let end = try? provider.documents.metadata().endSessionEndpoint {
                let separator = end.absoluteString.contains("?") ? "&" : "?"
                next =
                    end.absoluteString + separator + "client_id=\(PercentEncoding.encode(provider.clientID))"
                    + "&post_logout_redirect_uri=\(PercentEncoding.encode(publicBase + "/"))"
            }
        }
        var response = HTTPResponse.json(SignedOut(next: next), status: 200)
        response.headers.set("Set-Cookie", sessions.clearCookie)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `GET /api/me`: who is signed in here, with the CSRF token their page sends; or how to sign in.
    func me(_ request: HTTPRequest) -> HTTPResponse {
        guard let session = sessions.session(of: request), (try? sharing.access.accountStatus.check(session, owner: owner(of: session))) != nil
        else {
            var response = HTTPResponse.json(Me(signedIn: false, signIn: provider == nil ? nil : "/auth/login"), status: 200)
            if request.headers["cookie"]?.contains(UserSession.cookieName) == true { response.headers.set("Set-Cookie", sessions.clearCookie) }
            return response
        }
        var response = HTTPResponse.json(
            Me(signedIn: true, name: session.name, admin: session.admin, csrfToken: sessions.csrfToken(of: session)), status: 200)
        response.headers.set("Cache-Control", "no-store")
        if let cookie = sessions.refreshed(session) { response.headers.set("Set-Cookie", cookie) }
        return response
    }

    /// `POST /auth/logout-everywhere` (with the CSRF token): ends every session of this account, on every device and
    /// gateway, within a second.
    func signOutEverywhere(_ request: HTTPRequest) throws -> HTTPResponse {
        let session = try signedIn(request)
        guard sessions.carriesCSRFToken(request, of: session) else { throw Self.csrfRefusal }
        try sharing.access.accountStatus.record("signout", owner: owner(of: session), random: random)
        logger.info("\(session.name) signed out everywhere")
        var response = HTTPResponse.json(SignedOut(next: "/"), status: 200)
        response.headers.set("Set-Cookie", sessions.clearCookie)
        return response
    }

    static let csrfRefusal = GatewayError(
        403, .csrfRejected, "This request was made with your sign-in cookie but without its X-CSRF-Token (GET /api/me gives it).")

    struct Me: Encodable {
        var signedIn: Bool
        var name: String?
        var admin: Bool?
        var csrfToken: String?
        var signIn: String?
    }

    struct SignedOut: Encodable {
        var signedOut = true
        var next: String
    }

    /// A small HTML page that says what happened.
    static func page(_ status: Int, _ title: String, _ message: Wording) -> HTTPResponse {
        var response = ViewPage.unavailable(status: status, title: title, message: message)
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}
