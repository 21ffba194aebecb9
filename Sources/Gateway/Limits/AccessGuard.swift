import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

/// Who may declare uploads, and how much each client and token may do: upload tokens, per-client bounds, token
/// quotas, part refreshes, and the CPU that password hashing may take.
struct AccessGuard: Sendable {
    let settings: GatewaySettings
    let secret: String
    let random: RandomBytes
    /// Per-client bounds on declarations.
    let limiter: ClientLimiter
    /// The canonical addresses of `gateway.trustedProxies`.
    let trustedProxies: Set<String>
    /// What each upload token may keep (`auth.quota`).
    let quota: TokenQuota
    /// Bounds on guesses of share passwords.
    let passwordAttempts: PasswordAttempts
    /// Bounds, per client, on `POST /api/uploads/{id}/parts`.
    let partRefreshes: AttemptLimiter
    /// Signed-in users' session cookies.
    let sessions: SessionCookies
    /// Personal API tokens (`dgp.…`), which act for their account.
    let personalTokens: PersonalTokens
    /// Accounts signed out everywhere, or disabled.
    let accountStatus: AccountStatus

    /// The client a request counts against (see ``ClientAddress``).
    func client(of request: HTTPRequest) -> ClientAddress {
        ClientAddress(peer: request.remoteAddress, forwardedFor: request.headers.values("x-forwarded-for"), trusted: trustedProxies)
    }

    /// Who declares an upload: nobody in particular, a holder of a listed token, or a signed-in account.
    enum Uploader {
        case anyone
        case token(String)
        case account(UserSession)
        /// A personal token, read on the event loop; ``verified(_:)`` checks it against the bucket on a worker.
        case personal(PersonalTokens.Presented)
    }

    /// Refuses a request that `auth.uploads` does not let upload: without a listed bearer token when tokens are
    /// needed; under `login`, without either such a token or a session cookie with its CSRF token. Whatever the
    /// setting, a signed-in user's uploads (with the CSRF token) are theirs.
    func requireUploader(_ request: HTTPRequest) throws -> Uploader {
        if let bearer = Gateway.bearer(request), let presented = PersonalTokens.Presented(bearer) { return .personal(presented) }
        if settings.auth.uploads != .login || (Gateway.bearer(request) != nil && !settings.auth.uploadTokens.isEmpty) {
            if let token = try requireUploadToken(request) { return .token(token) }
            guard let session = sessions.session(of: request), sessions.carriesCSRFToken(request, of: session) else { return .anyone }
            return .account(session)
        }
        guard let session = sessions.session(of: request) else {
            throw GatewayError(401, .unauthorized, "Sign in to upload here (GET /auth/login), or send an upload token.")
        }
        guard sessions.carriesCSRFToken(request, of: session) else { throw AccountService.csrfRefusal }
        return .account(session)
    }

    /// Whose usage an upload counts against: a token's when quotas apply, an account's always (its shares are listed
    /// from it, and `auth.quota` bounds it as it bounds each token).
    func owner(of uploader: Uploader) -> String? {
        switch uploader {
        case .anyone: nil
        case .token(let token): quotaOwner(token)
        case .account(let session): Self.accountOwner(session.subject, secret: secret)
        case .personal(let presented): presented.owner
        }
    }

    /// Checks a personal token against the bucket (its record, secret, revocation and `upload` scope); the others were
    /// checked when read, but a session's account is checked too (signed out everywhere, or disabled). Call it on a worker.
    func verified(_ uploader: Uploader) throws {
        switch uploader {
        case .personal(let presented):
            _ = try personalTokens.verify(presented, scope: .upload, at: Int64(accountStatus.now().timeIntervalSince1970))
            try refuseDisabled(presented.owner)
        case .account(let session): try accountStatus.check(session, owner: Self.accountOwner(session.subject, secret: secret))
        case .anyone, .token: return
        }
    }

    /// Refuses a personal token whose account an admin disabled.
    func refuseDisabled(_ owner: String) throws {
        guard try !accountStatus.state(owner).disabled else {
            throw GatewayError(403, .accountDisabled, "This account is disabled here. Ask the Dropgate's admin.")
        }
    }

    /// The usage fingerprint of an account: an HMAC of the provider's `sub`, under its own label, so it never meets a
    /// token's.
    static func accountOwner(_ subject: String, secret: String) -> String {
        Base64URL.encode(SignedToken.mac(subject, purpose: "account", secret: secret).prefix(16))
    }

    /// Refuses a request without a valid bearer token when upload tokens are configured.
    ///
    /// - Returns: the token, when tokens are configured.
    @discardableResult
    func requireUploadToken(_ request: HTTPRequest) throws -> String? {
        guard !settings.auth.uploadTokens.isEmpty else { return nil }
        guard let token = Gateway.bearer(request) else {
            throw GatewayError(
                401, .unauthorized, "This Dropgate needs an upload token. Ask its owner for one.")
        }
        let given = Array(token.utf8)
        // Every configured token is compared, so the time taken says nothing about which one nearly matched.
        let matches = settings.auth.uploadTokens.reduce(0) { count, known in count + (ConstantTime.equals(Array(known.utf8), given) ? 1 : 0) }
        guard matches > 0 else { throw GatewayError(401, .unauthorized, "This upload token is not valid here. Ask the Dropgate's owner for one.") }
        return token
    }

    /// The quota fingerprint of the request's upload token, when quotas apply.
    func quotaOwner(_ token: String?) -> String? {
        guard quota.applies, let token else { return nil }
        return TokenQuota.fingerprint(of: token, secret: secret)
    }

    /// `GET /api/usage` with an upload token: what it keeps stored, and its quota.
    func usage(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let token = try requireUploadToken(request) else {
            throw GatewayError(404, .noTokens, "This gateway takes uploads without tokens, so no usage is kept per token.")
        }
        let usage = try quota.usage(TokenQuota.fingerprint(of: token, secret: secret))
        let bound = settings.auth.quota
        return HTTPResponse.json(
            TokenUsageReport(
                bytes: usage.bytes, shares: usage.shares.count, maxBytes: bound.maxBytes > 0 ? bound.maxBytes : nil,
                maxShares: bound.maxShares > 0 ? bound.maxShares : nil,
                sharesToday: usage.made(on: TokenQuota.day(of: Int64(accountStatus.now().timeIntervalSince1970))),
                maxUploadsPerDay: bound.maxUploadsPerDay > 0 ? bound.maxUploadsPerDay : nil), status: 200)
    }

    /// Gives a share's bytes back to its owner's quota (after a revocation or the sweep); harmless when done twice.
    func releaseQuota(of record: ShareRecord) throws {
        guard let owner = record.owner else { return }
        try quota.release(owner, share: record.id)
    }

    /// A new share's password, hashed within the budget all password hashing shares (503 `busy` past it).
    func hashed(_ password: String) throws -> PasswordHash {
        let budget = passwordAttempts.hashing
        let busy = GatewayError(503, .busy, "The gateway is hashing many passwords right now; try again in a second.", retryAfter: 1)
        guard budget.enter() else { throw busy }
        defer { budget.leave() }
        guard let hash = try budget.run({ try PasswordHash(hashing: password, random: random) }) else { throw busy }
        return hash
    }
}
