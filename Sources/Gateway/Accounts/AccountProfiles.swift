import DropgateAPI
import Foundation
import S3Client

/// Who each account is, for the admin's list: `.dropgate/accounts/<owner>/profile.json`, written create-only at the
/// first sign-in (the name it had then; the provider stays the source of truth).
struct AccountProfiles: Sendable {
    let client: S3Client

    struct Profile: Codable, Sendable {
        var subject: String
        var name: String
        var email: String?
        var firstSeenAt: Int64
    }

    static let root = ".dropgate/accounts/"

    func remember(owner: String, session: UserSession, email: String?) throws {
        let profile = Profile(subject: session.subject, name: session.name, email: email, firstSeenAt: session.issuedAt)
        _ = try client.create(key: Self.root + owner + "/profile.json", body: try APIJSON.encode(profile))
    }

    func profile(_ owner: String) -> Profile? {
        guard let bytes = try? client.getObject(key: Self.root + owner + "/profile.json").bytes else { return nil }
        return try? APIJSON.decode(Profile.self, from: bytes)
    }

    /// A page of account fingerprints, in key order, after `after`.
    func owners(after: String?, limit: Int) throws -> (owners: [String], more: Bool) {
        let page = try client.listObjects(
            prefix: Self.root, delimiter: "/", maxKeys: limit, startAfter: after.map { Self.root + $0 + "/" })
        let owners = page.commonPrefixes.map { String($0.dropFirst(Self.root.count).dropLast()) }
        return (owners, page.nextContinuationToken != nil)
    }
}
