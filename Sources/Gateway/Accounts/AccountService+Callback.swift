import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import OpenIDConnect

extension AccountService {
    /// `GET /auth/callback?code=…&state=…`: the provider sent the browser back. The state must be the one in this
    /// browser's sign-in cookie (which holds the PKCE verifier and the nonce); the code is exchanged once, the ID
    /// token verified, the deployment's rules applied, and the session cookie written.
    func callback(_ request: HTTPRequest) -> HTTPResponse {
        guard let provider else { return Self.page(404, "Sign-in is off", "This Dropgate has no sign-in provider.") }
        do {
            if let error = request.queryValue("error") {
                throw SignInFailure(status: 401, message: "The sign-in provider did not sign you in (\(SignInFailure.shown(error), as: "code")).")
            }
            guard let code = request.queryValue("code"), let returned = request.queryValue("state") else {
                throw SignInFailure(status: 400, message: "The provider's answer has no code or state. Start again.")
            }
            let state = try signInState(of: request, matching: returned)
            let token = try provider.exchange(code: code, verifier: state.verifier, redirectURI: redirectURI)
            let claims: IDTokenClaims
            do {
                claims = try provider.verifier.verify(token, nonce: state.nonce)
            } catch {
                logger.warning("sign-in refused: \(error.reason.rawValue): \(error.message)")
                throw SignInFailure(status: 401, message: "The sign-in provider's answer did not check out. Start again.")
            }
            let session = try admit(claims)
            let owner = owner(of: session)
            if try sharing.access.accountStatus.state(owner).disabled {
                throw SignInFailure(status: 403, message: "This account is disabled here. Ask the Dropgate's admin.")
            }
            try? profiles.remember(owner: owner, session: session, email: claims.strings("email").first)
            logger.info("signed in: \(session.name)")
            var response = HTTPResponse(status: 303)
            response.headers.set("Location", state.returnTo)
            response.headers.set("Cache-Control", "no-store")
            response.headers.add("Set-Cookie", sessions.setCookie(session))
            response.headers.add(
                "Set-Cookie",
                "\(SignInState.cookieName)=; Path=\(SignInState.path); Max-Age=0; HttpOnly; SameSite=Lax\(sessions.secure ? "; Secure" : "")")
            return response
        } catch let failure as SignInFailure {
            return Self.page(failure.status, "Not signed in", failure.message)
        } catch {
            return Self.page(503, "Not signed in", "The sign-in did not complete. Try again in a minute.")
        }
    }

    /// The sign-in cookie whose `state` is the one the provider returned (compared in constant time), unexpired.
    func signInState(of request: HTTPRequest, matching returned: String) throws -> SignInState {
        let values = request.headers["cookie"].map { CookieHeader.values(named: SignInState.cookieName, in: $0) } ?? []
        let time = Int64(now().timeIntervalSince1970)
        for value in values {
            guard let state = SignInState.open(value, secret: secret),
                ConstantTime.equals(Array(state.state.utf8), Array(returned.utf8))
            else { continue }
            guard time <= state.expiresAt else { throw SignInFailure(status: 400, message: "This sign-in took over ten minutes. Start again.") }
            return state
        }
        throw SignInFailure(
            status: 400, message: "This browser did not start this sign-in (its sign-in cookie is missing or does not match). Start again.")
    }

    /// The session of a verified user, when the deployment's rules let them in (email domains, groups).
    func admit(_ claims: IDTokenClaims) throws -> UserSession {
        let rules = settings.auth.oidc
        let email = claims.strings("email").first
        if !rules.allowedEmailDomains.isEmpty {
            let domain = email.flatMap { $0.split(separator: "@").last.map { $0.lowercased() } }
            let verified = claims.all["email_verified"] != .bool(false)
            guard let domain, verified, rules.allowedEmailDomains.contains(where: { $0.lowercased() == domain }) else {
                throw SignInFailure(status: 403, message: "Your account's email is not at a domain allowed to sign in here.")
            }
        }
        let groups = claims.strings(rules.groupsClaim)
        if !rules.allowedGroups.isEmpty, !groups.contains(where: rules.allowedGroups.contains) {
            throw SignInFailure(status: 403, message: "Your account is in none of the groups allowed to sign in here.")
        }
        let name = claims.strings(rules.nameClaim).first ?? email ?? claims.subject
        let moment = now().timeIntervalSince1970
        let time = Int64(moment)
        return UserSession(
            id: PKCE.randomToken(), subject: claims.subject, name: String(name.prefix(200)),
            admin: rules.adminGroup.map(groups.contains) ?? false, issuedAt: time, seenAt: time, issuedAtMs: Int64((moment * 1_000).rounded(.down)))
    }
}

extension SignInState {
    static func open(_ text: String, secret: String) -> SignInState? {
        SignedToken.open(SignInState.self, text, purpose: purpose, secret: secret)
    }
}
