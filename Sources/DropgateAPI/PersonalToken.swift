import Foundation

/// What a personal API token may do.
public enum TokenScope: String, Codable, Sendable, CaseIterable {
    /// Declare and complete uploads, as the account.
    case upload
    /// List the account's shares and revoke them.
    case shares
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

    public init(id: String, name: String, scopes: [TokenScope], createdAt: Date) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
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
