import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

extension AccountService {
    /// The admin acting, by name: signed in as a member of `auth.oidc.adminGroup` (with the CSRF token when the
    /// request changes something), or with a personal token of the `admin` scope; 403 for anyone else.
    func requireAdmin(_ request: HTTPRequest, changing: Bool) throws -> String {
        if let bearer = Gateway.bearer(request) {
            let owner = try tokenOwner(bearer, scope: .admin)
            return "an admin token of \(profiles.profile(owner)?.name ?? owner)"
        }
        let session = try signedIn(request)
        guard session.admin else { throw GatewayError(403, .unauthorized, "Only admins may do this (auth.oidc.adminGroup).") }
        if changing, !sessions.carriesCSRFToken(request, of: session) { throw Self.csrfRefusal }
        return session.name
    }

    /// `GET /api/admin/users?after=<id>`: every account, 100 a page, with its shares and bytes kept and whether it is disabled.
    func adminUsers(_ request: HTTPRequest) throws -> HTTPResponse {
        _ = try requireAdmin(request, changing: false)
        let after = request.queryValue("after").flatMap { $0.isEmpty ? nil : $0 }
        let (owners, more) = try profiles.owners(after: after, limit: 100)
        let users = try owners.map { owner -> AdminUser in
            let profile = profiles.profile(owner)
            let usage = try sharing.access.quota.usage(owner)
            return AdminUser(
                id: owner, name: profile?.name ?? owner, email: profile?.email,
                firstSeenAt: profile.map { Date(timeIntervalSince1970: TimeInterval($0.firstSeenAt)) }, shares: usage.shares.count,
                bytes: usage.bytes,
                disabled: try sharing.access.accountStatus.state(owner).disabled)
        }
        return HTTPResponse.json(AdminUsers(users: users, next: more ? owners.last : nil), status: 200)
    }

    /// `POST /api/admin/users/{id}/disable` (with `{"revokeShares": true}` to revoke its shares too) and `…/enable`:
    /// every session and token of the account stops (or works again) on every gateway within a second.
    func adminSetDisabled(_ request: HTTPRequest, body: HTTPRequestBody, disabled: Bool) throws -> HTTPResponse {
        let admin = try requireAdmin(request, changing: true)
        let owner = request.pathParameters["id"] ?? ""
        guard owner.utf8.count == 22, Base64URL.decode(owner) != nil, profiles.profile(owner) != nil else {
            throw GatewayError(404, .notFound, "There is no account \(owner, as: "owner").")
        }
        let bytes = try body.readAll(limit: 1024)
        var revokeShares = false
        if !bytes.isEmpty, disabled {
            try GatewayError.checkStrict(bytes, DisableRequest.shape)
            guard let input = try? APIJSON.decode(DisableRequest.self, from: bytes) else {
                throw GatewayError.badRequest(.invalidJSON, #"Disabling takes {"revokeShares": true} or nothing."#)
            }
            revokeShares = input.revokeShares ?? false
        }
        // Disabling also ends every session the account has, for good: enabled again, its user signs in anew.
        if disabled { try sharing.access.accountStatus.record("signout", owner: owner, random: random) }
        try sharing.access.accountStatus.record(disabled ? "disabled" : "enabled", owner: owner, random: random)
        var revoked = 0
        if revokeShares {
            for id in try sharing.access.quota.usage(owner).shares.keys {
                guard let record = try sharing.shares.load(id, counting: false) else { continue }
                _ = try sharing.revoke(record)
                revoked += 1
            }
        }
        logger.info("admin \(admin) \(disabled ? "disabled" : "enabled") account \(owner)\(revokeShares ? ", revoking \(revoked) shares" : "")")
        return HTTPResponse(status: 204)
    }
}
