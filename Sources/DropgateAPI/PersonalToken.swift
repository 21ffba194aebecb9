import Foundation

/// What a personal API token may do.
public enum TokenScope: String, Codable, Sendable, CaseIterable {
    /// Declare and complete uploads, as the account.
    case upload
    /// List the account's shares, change and revoke them.
    case shares
    /// The admin routes (`/api/admin/…`), for admins only; such a token lasts no longer than a sign-in.
    case admin
}

/// `POST /api/me/tokens`: a new personal API token's name and scopes.
public struct TokenRequest: Codable, Sendable, Equatable {
    public var name: String?
    public var scopes: [String]?

    public init(name: String?, scopes: [String]?) {
        self.name = name
        self.scopes = scopes
    }

    public static let shape = StrictJSON.Shape.object(["name": .value, "scopes": .value])
}

/// A personal API token as it is listed: never the token itself, which is shown once, when it is made.
public struct PersonalTokenInfo: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var scopes: [TokenScope]
    public var createdAt: Date
    /// When the token stops working, if it does (an `admin` token does).
    public var expiresAt: Date?

    public init(id: String, name: String, scopes: [TokenScope], createdAt: Date, expiresAt: Date? = nil) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// The answer to `POST /api/me/tokens`: the token, this once, and how it is listed.
public struct PersonalTokenCreated: Codable, Sendable, Equatable {
    /// `Authorization: Bearer <token>`; only its hash is kept.
    public var token: String
    public var info: PersonalTokenInfo

    public init(token: String, info: PersonalTokenInfo) {
        self.token = token
        self.info = info
    }
}

/// `GET /api/me/tokens`: the account's live tokens.
public struct PersonalTokenList: Codable, Sendable, Equatable {
    public var tokens: [PersonalTokenInfo]

    public init(tokens: [PersonalTokenInfo]) { self.tokens = tokens }
}

/// One account as the admin's list shows it.
public struct AdminUser: Codable, Sendable, Equatable {
    /// The account's fingerprint (never the provider's `sub`), which the admin routes take.
    public var id: String
    public var name: String
    public var email: String?
    public var firstSeenAt: Date?
    public var shares: Int
    public var bytes: Int64
    public var disabled: Bool

    public init(id: String, name: String, email: String?, firstSeenAt: Date?, shares: Int, bytes: Int64, disabled: Bool) {
        self.id = id
        self.name = name
        self.email = email
        self.firstSeenAt = firstSeenAt
        self.shares = shares
        self.bytes = bytes
        self.disabled = disabled
    }
}

/// `GET /api/admin/users`: a page of accounts, with what each keeps stored.
public struct AdminUsers: Codable, Sendable, Equatable {
    public var users: [AdminUser]
    /// `?after=` for the next page, when there is one.
    public var next: String?

    public init(users: [AdminUser], next: String?) {
        self.users = users
        self.next = next
    }
}

/// `POST /api/admin/users/{id}/disable`: whether the account's shares are revoked too.
public struct DisableRequest: Codable, Sendable, Equatable {
    public var revokeShares: Bool?

    public init(revokeShares: Bool?) { self.revokeShares = revokeShares }

    public static let shape = StrictJSON.Shape.object(["revokeShares": .value])
}

/// `PATCH /api/shares/{id}`: what the owner changes; what is left out stays as it is.
public struct ShareEditRequest: Codable, Sendable, Equatable {
    /// The share lives this many seconds from now (within `shares.minExpiry` and `shares.maxExpiry`).
    public var expiresIn: Int64?
    /// A new download limit (of each file), at least 1.
    public var maxDownloads: Int64?
    /// True to lift the download limit.
    public var unlimited: Bool?
    /// A new password.
    public var password: String?
    /// True to remove the password.
    public var clearPassword: Bool?
    /// Receipts of verified uploads (as `POST /api/shares` takes them) to add to the share, which becomes a collection.
    public var addFiles: [String]?
    /// Files to take out of the share, by their number (from 1) as `/s/{id}/{n}` and `fileNames` give it now; their
    /// objects are deleted.
    public var removeFiles: [Int]?

    public init(
        expiresIn: Int64? = nil, maxDownloads: Int64? = nil, unlimited: Bool? = nil, password: String? = nil, clearPassword: Bool? = nil,
        addFiles: [String]? = nil, removeFiles: [Int]? = nil
    ) {
        self.expiresIn = expiresIn
        self.maxDownloads = maxDownloads
        self.unlimited = unlimited
        self.password = password
        self.clearPassword = clearPassword
        self.addFiles = addFiles
        self.removeFiles = removeFiles
    }

    public static let shape = StrictJSON.Shape.object([
        "expiresIn": .value, "maxDownloads": .value, "unlimited": .value, "password": .value, "clearPassword": .value, "addFiles": .value,
        "removeFiles": .value,
    ])
}

/// One share as the admin's list shows it: as its owner sees it, and whose it is.
public struct AdminShare: Codable, Sendable, Equatable {
    public var share: OwnedShare
    /// The owning account's id (as `GET /api/admin/users` names it), or an upload token's usage fingerprint; nil for
    /// an anonymous share.
    public var owner: String?
    /// The owning account's name; nil when no account owns the share.
    public var ownerName: String?

    public init(share: OwnedShare, owner: String?, ownerName: String?) {
        self.share = share
        self.owner = owner
        self.ownerName = ownerName
    }
}

/// `GET /api/admin/shares`: a page of every share in the bucket, in id order.
public struct AdminShares: Codable, Sendable, Equatable {
    public var shares: [AdminShare]
    /// `?after=` for the next page, when there is one.
    public var next: String?

    public init(shares: [AdminShare], next: String?) {
        self.shares = shares
        self.next = next
    }
}
