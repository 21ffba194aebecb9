import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

extension AccountService {
    /// Shares a page of `GET /api/admin/shares` lists.
    static let adminSharesPerPage = 50

    /// `GET /api/admin/shares?after=<id>`: every share in the bucket, 50 a page in id order, each as its owner sees it
    /// and with whose it is; pages through any number of shares, since each page is one listing that starts after the
    /// last id.
    func adminShares(_ request: HTTPRequest) throws -> HTTPResponse {
        _ = try requireAdmin(request, changing: false)
        let after = request.queryValue("after").flatMap { $0.isEmpty ? nil : $0 }
        if let after, !ShareStore.isValidID(after) {
            throw GatewayError.badRequest(.badRequest, "after must be a share id (22 characters) from the previous page's next.")
        }
        let prefix = ObjectKey.sharePrefix
        let page = try sharing.shares.client.listObjects(
            prefix: prefix, maxKeys: Self.adminSharesPerPage, startAfter: after.map { prefix + $0 + ".json" })
        let ids = page.objects.map(\.key).filter { $0.hasSuffix(".json") }.map { String($0.dropFirst(prefix.count).dropLast(".json".count)) }
        var names: [String: String?] = [:]
        let shares = try ids.compactMap { id -> AdminShare? in
            guard let record = try sharing.shares.load(id, counting: false) else { return nil }
            let owner = record.owner
            if let owner, names[owner] == nil { names[owner] = .some(profiles.profile(owner)?.name) }
            return AdminShare(share: ownedShare(try sharing.shares.counted(record)), owner: owner, ownerName: owner.flatMap { names[$0] ?? nil })
        }
        let next = page.nextContinuationToken != nil ? ids.last : nil
        return HTTPResponse.json(AdminShares(shares: shares, next: next), status: 200)
    }
}
