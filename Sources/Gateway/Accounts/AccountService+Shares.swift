import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

extension AccountService {
    /// Shares a page of `GET /api/me/shares` lists.
    static let sharesPerPage = 20

    /// `GET /api/me/shares?page=N`: the account's live shares (signed in, or a personal token with the `shares` scope), newest first, from the account's usage record
    /// in the bucket (so every device and every gateway sees the same list).
    func myShares(_ request: HTTPRequest) throws -> HTTPResponse {
        let owner = try shareOwner(request, changing: false)
        let pageText = request.queryValue("page") ?? "0"
        guard let page = Int(pageText), (0...10_000).contains(page) else {
            throw GatewayError.badRequest(.badRequest, "page must be a whole number from 0; got '\(pageText, as: "pageText")'.")
        }
        let usage = try sharing.access.quota.usage(owner)
        let created = usage.created ?? [:]
        let order = usage.shares.keys.sorted { (created[$0] ?? 0, $0) > (created[$1] ?? 0, $1) }
        let slice = order.dropFirst(page * Self.sharesPerPage).prefix(Self.sharesPerPage)
        // Counted whether limited or not, so the list shows the downloads every share had.
        let listed = try slice.compactMap { id in try sharing.shares.load(id, counting: false).map { ownedShare(try sharing.shares.counted($0)) } }
        let more = order.count > (page + 1) * Self.sharesPerPage
        return HTTPResponse.json(OwnedShares(shares: listed, total: order.count, nextPage: more ? page + 1 : nil), status: 200)
    }

    /// How the owner's list shows a share.
    func ownedShare(_ record: ShareRecord) -> OwnedShare {
        OwnedShare(
            id: record.id, url: "\(publicBase)/s/\(record.linkName)", title: record.title, files: record.files.count, size: record.size,
            createdAt: Date(timeIntervalSince1970: TimeInterval(record.createdAt)),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(record.expiresAt)), downloads: record.downloads,
            maxDownloads: record.maxDownloads, password: record.password != nil, encrypted: record.encrypted == true,
            unavailable: record.unavailability(at: now())?.english, fileNames: record.files.map(\.filename))
    }

    /// `DELETE /api/shares/{id}` without a delete token: the owner revokes their share, signed in (with the CSRF token) or
    /// with a personal token that has the `shares` scope.
    func revokeOwnShare(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        if let admin = try? requireAdmin(request, changing: true) {
            guard let record = try sharing.shares.load(id, counting: false) else {
                throw GatewayError(404, .unknownShare, "There is no share \(id, as: "id").")
            }
            logger.info("admin \(admin) revoked share \(record.id)")
            return try sharing.revoke(record)
        }
        let owner = try shareOwner(request, changing: true)
        guard let record = try sharing.shares.load(id, counting: false) else {
            throw GatewayError(404, .unknownShare, "There is no share \(id, as: "id").")
        }
        guard record.owner.map({ ConstantTime.equals(Array($0.utf8), Array(owner.utf8)) }) == true else {
            throw GatewayError(403, .unauthorized, "This share is not yours: revoking it needs its delete token.")
        }
        return try sharing.revoke(record)
    }

    /// The request's session, or 401.
    func signedIn(_ request: HTTPRequest) throws -> UserSession {
        guard let session = sessions.session(of: request) else {
            throw GatewayError(401, .unauthorized, "Sign in first (GET /auth/login); a delete token revokes a share without signing in.")
        }
        try sharing.access.accountStatus.check(session, owner: owner(of: session))
        return session
    }

    /// The usage fingerprint of a session's account.
    func owner(of session: UserSession) -> String { AccessGuard.accountOwner(session.subject, secret: secret) }
}
