import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

extension AccountService {
    /// `POST /api/me/tokens` (signed in, with the CSRF token): a personal API token with a name and scopes, shown once.
    func createToken(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let session = try signedIn(request)
        guard sessions.carriesCSRFToken(request, of: session) else { throw Self.csrfRefusal }
        let bytes = try body.readAll(limit: 4 * 1024)
        try GatewayError.checkStrict(bytes, TokenRequest.shape)
        let shapeHelp: Wording =
            #"A token is {"name":"laptop","scopes":["upload","shares"]}: a name of 1 to 100 characters and scopes from upload, shares, admin."#
        guard let input = try? APIJSON.decode(TokenRequest.self, from: bytes) else { throw GatewayError.badRequest(.invalidJSON, shapeHelp) }
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw GatewayError.badRequest(.badRequest, shapeHelp)
        }
        let words = input.scopes ?? [TokenScope.upload.rawValue]
        let scopes = words.compactMap(TokenScope.init(rawValue:))
        guard !scopes.isEmpty, scopes.count == words.count else { throw GatewayError.badRequest(.badRequest, shapeHelp) }
        let time = Int64(now().timeIntervalSince1970)
        // The admin flag is read at sign-in, so an admin token lasts no longer than a sign-in does.
        var expiresAt: Int64?
        if scopes.contains(.admin) {
            guard session.admin else { throw GatewayError(403, .insufficientScope, "Only admins may make a token with the admin scope.") }
            expiresAt = time + Int64(settings.auth.session.lifetime)
        }
        let created = try tokens.create(
            owner: AccessGuard.accountOwner(session.subject, secret: secret), name: name,
            scopes: Array(Set(scopes)).sorted { $0.rawValue < $1.rawValue }, at: time, expiresAt: expiresAt, random: random)
        logger.info("\(session.name) made a personal token (\(created.info.id))")
        return HTTPResponse.json(created, status: 201)
    }

    /// `GET /api/me/tokens` (signed in): the account's live tokens, never the tokens themselves.
    func listTokens(_ request: HTTPRequest) throws -> HTTPResponse {
        let session = try signedIn(request)
        return HTTPResponse.json(PersonalTokenList(tokens: try tokens.list(AccessGuard.accountOwner(session.subject, secret: secret))), status: 200)
    }

    /// `DELETE /api/me/tokens/{id}` (signed in, with the CSRF token): revokes the token at once, on every gateway.
    func revokeToken(_ request: HTTPRequest) throws -> HTTPResponse {
        // `dropgate logout`: a personal token revokes itself.
        if request.pathParameters["id"] == "current", let bearer = Gateway.bearer(request) {
            guard let presented = PersonalTokens.Presented(bearer) else {
                throw GatewayError(401, .unauthorized, "This token is not valid here (unknown, revoked or mistyped).")
            }
            _ = try tokens.verify(presented, scope: nil, at: Int64(now().timeIntervalSince1970))
            try tokens.revoke(owner: presented.owner, id: presented.id)
            return HTTPResponse(status: 204)
        }
        let session = try signedIn(request)
        guard sessions.carriesCSRFToken(request, of: session) else { throw Self.csrfRefusal }
        try tokens.revoke(owner: AccessGuard.accountOwner(session.subject, secret: secret), id: request.pathParameters["id"] ?? "")
        return HTTPResponse(status: 204)
    }

    /// The account a personal token acts for, once it is checked (its record, secret, expiry, revocation and `scope`)
    /// and its account is not disabled.
    func tokenOwner(_ bearer: String, scope: TokenScope) throws -> String {
        guard let presented = PersonalTokens.Presented(bearer) else {
            throw GatewayError(401, .unauthorized, "This token is not valid here (unknown, revoked or mistyped).")
        }
        let owner = try tokens.verify(presented, scope: scope, at: Int64(now().timeIntervalSince1970))
        try sharing.access.refuseDisabled(owner)
        return owner
    }

    /// The account a request acts for on its shares: its session, or a personal token with the `shares` scope.
    func shareOwner(_ request: HTTPRequest, changing: Bool) throws -> String {
        if let bearer = Gateway.bearer(request) { return try tokenOwner(bearer, scope: .shares) }
        let session = try signedIn(request)
        if changing, !sessions.carriesCSRFToken(request, of: session) { throw Self.csrfRefusal }
        return AccessGuard.accountOwner(session.subject, secret: secret)
    }
}
