import Crypto
import DropgateAPI
import Foundation
import HTTPWire
import S3Client
import S3Common

/// Personal API tokens, kept in the bucket under the account's usage fingerprint: a record per token
/// (`.dropgate/accounts/<owner>/tokens/<id>.json`, written create-only, holding the SHA-256 of the token's secret,
/// never the secret) and a create-only `<id>.revoked` beside it once revoked. So any gateway checks any token, and
/// the writes hold on a store that honours only `If-None-Match: *`.
///
/// A token is `dgp.<owner>.<id>.<secret>`: the account and the record are named in it, so checking it costs one GET
/// and one HEAD.
struct PersonalTokens: Sendable {
    let client: S3Client
    /// The most live tokens one account keeps.
    static let limit = 50

    /// A presented token, read but not yet checked.
    struct Presented: Sendable {
        var owner: String
        var id: String
        var secret: String

        /// Reads `dgp.<owner>.<id>.<secret>` by position; nil for anything else.
        init?(_ text: String) {
            guard text.hasPrefix("dgp."), text.utf8.count <= 200 else { return nil }
            let parts = text.dropFirst(4).split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].utf8.count == 22, parts[1].utf8.count == 22, parts[2].utf8.count == 43,
                parts.allSatisfy({ Base64URL.decode($0) != nil })
            else { return nil }
            (owner, id, secret) = (String(parts[0]), String(parts[1]), String(parts[2]))
        }
    }

    struct Record: Codable, Sendable {
        var id: String
        var name: String
        var scopes: [TokenScope]
        var createdAt: Int64
        /// Hex SHA-256 of the secret.
        var hash: String
        /// When the token stops working (seconds since 1970); nil for never.
        var expiresAt: Int64? = nil

        var info: PersonalTokenInfo {
            PersonalTokenInfo(
                id: id, name: name, scopes: scopes, createdAt: Date(timeIntervalSince1970: TimeInterval(createdAt)),
                expiresAt: expiresAt.map { Date(timeIntervalSince1970: TimeInterval($0)) })
        }
    }

    static func folder(_ owner: String) -> String { ".dropgate/accounts/\(owner)/tokens/" }

    static func hash(_ secret: String) -> String { Hex.string(SHA256.hash(data: Array(secret.utf8))) }

    /// Makes a token for the account; refused past ``limit`` live tokens.
    func create(
        owner: String, name: String, scopes: [TokenScope], at time: Int64, expiresAt: Int64? = nil, random: RandomBytes
    ) throws -> PersonalTokenCreated {
        guard try list(owner).count < Self.limit else {
            throw GatewayError(409, .tooManyTokens, "This account has \(Self.limit, as: "limit") tokens, the most it may keep: revoke one first.")
        }
        let id = Base64URL.random(bytes: 16, from: random)
        let secret = Base64URL.random(bytes: 32, from: random)
        let record = Record(id: id, name: name, scopes: scopes, createdAt: time, hash: Self.hash(secret), expiresAt: expiresAt)
        guard try client.create(key: Self.folder(owner) + id + ".json", body: try APIJSON.encode(record)) else {
            throw GatewayError(503, .busy, "A token of the same id exists: try again.", retryAfter: 1)
        }
        return PersonalTokenCreated(token: "dgp.\(owner).\(id).\(secret)", info: record.info)
    }

    /// The account's live tokens, oldest first.
    func list(_ owner: String) throws -> [PersonalTokenInfo] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try client.listObjects(prefix: Self.folder(owner), continuationToken: token)
            keys += page.objects.map(\.key)
            token = page.nextContinuationToken
        } while token != nil && keys.count < 4 * Self.limit
        let revoked = Set(keys.filter { $0.hasSuffix(".revoked") }.map { String($0.dropLast(".revoked".count)) })
        return try keys.filter { $0.hasSuffix(".json") && !revoked.contains(String($0.dropLast(".json".count))) }
            .compactMap { key in
                // A store that cannot be read fails the listing; a record that is not one (no gateway wrote it) is left out.
                let bytes = try client.getObject(key: key).bytes
                return try? APIJSON.decode(Record.self, from: bytes)
            }
            .map(\.info).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Revokes one of the account's tokens; harmless when done twice, 404 for a token the account does not have.
    func revoke(owner: String, id: String) throws {
        guard id.utf8.count == 22, Base64URL.decode(id) != nil, try client.headObject(key: Self.folder(owner) + id + ".json") != nil else {
            throw GatewayError(404, .notFound, "This account has no token \(id, as: "id").")
        }
        _ = try client.create(key: Self.folder(owner) + id + ".revoked", body: [], contentType: "text/plain")
    }

    /// The account a presented token acts for, once its record, secret, revocation and scope (when one is needed)
    /// are checked.
    func verify(_ presented: Presented, scope: TokenScope?, at time: Int64) throws -> String {
        let invalid = GatewayError(401, .unauthorized, "This token is not valid here (unknown, revoked or mistyped).")
        let folder = Self.folder(presented.owner)
        let record: Record
        do {
            record = try APIJSON.decode(Record.self, from: try client.getObject(key: folder + presented.id + ".json").bytes)
        } catch let error as S3ClientError where error.status == 404 {
            throw invalid
        }
        guard ConstantTime.equals(Array(record.hash.utf8), Array(Self.hash(presented.secret).utf8)) else { throw invalid }
        if let expiresAt = record.expiresAt, time >= expiresAt {
            throw GatewayError(401, .unauthorized, "This token has expired: make a new one on /me.")
        }
        guard try client.headObject(key: folder + presented.id + ".revoked") == nil else { throw invalid }
        if let scope, !record.scopes.contains(scope) {
            let words: [TokenScope: String] = [.upload: "upload", .shares: "manage shares", .admin: "use the admin routes"]
            throw GatewayError(
                403, .insufficientScope,
                "This token may not \(words[scope] ?? scope.rawValue, as: "action"): make one with the \(scope.rawValue, as: "scope") scope.")
        }
        return presented.owner
    }
}
