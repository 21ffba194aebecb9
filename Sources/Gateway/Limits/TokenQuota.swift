import Crypto
import DropgateAPI
import Foundation
import HTTPWire
import S3Client
import SigV4

/// What one upload token keeps stored: the size of each of its live shares, by share id, held in the bucket as a
/// ``SequencedState`` under `.dropgate/usage/<fingerprint>/`, so every gateway of the bucket sees one count and a
/// charge or release is exact and idempotent (a retried completion is not charged twice).
struct TokenUsage: Codable, Sendable, Equatable {
    /// Share id → bytes.
    var shares: [String: Int64] = [:]
    /// Share id → when it was counted (milliseconds since 1970, so two shares of one second keep their order), for
    /// listing an account's shares newest first; absent in records written before accounts.
    var created: [String: Int64]? = nil
    /// The UTC day (days since 1970) of the latest share counted, and how many were counted that day: kept beside the
    /// shares so the daily bound is as exact across gateways as the others; absent in older records.
    var day: Int64? = nil
    var madeThatDay: Int? = nil

    /// Shares counted on `day`.
    func made(on day: Int64) -> Int { self.day == day ? madeThatDay ?? 0 : 0 }

    var bytes: Int64 { shares.values.reduce(0, +) }

    /// The most shares one token's record holds, whatever the settings, so the record stays small.
    static let shareLimit = 10_000
}

/// The quota of `auth.quota`, applied to each upload token separately.
struct TokenQuota: Sendable {
    let client: S3Client
    let quota: GatewaySettings.Quota

    var applies: Bool { quota.maxBytes > 0 || quota.maxShares > 0 || quota.maxUploadsPerDay > 0 }

    /// The UTC day a time (seconds since 1970) falls on.
    static func day(of seconds: Int64) -> Int64 { seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400 }

    /// The fingerprint a token's usage is kept under: an HMAC of it, never the token itself.
    static func fingerprint(of token: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("owner:\(token)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Base64URL.encode(Array(mac).prefix(16))
    }

    func state(_ owner: String) -> SequencedState<TokenUsage> { SequencedState(client: client, prefix: ".dropgate/usage/\(owner)/") }

    func usage(_ owner: String) throws -> TokenUsage { try state(owner).latest()?.state ?? TokenUsage() }

    /// Why `size` more bytes in one more share, made at `time` (seconds), would exceed the quota; nil when they fit.
    func excess(_ usage: TokenUsage, adding size: Int64, at time: Int64) -> Wording? {
        if quota.maxUploadsPerDay > 0, usage.made(on: Self.day(of: time)) >= quota.maxUploadsPerDay {
            return
                "\(quota.maxUploadsPerDay, as: "most") shares were made today (UTC) with this token or account, its daily limit: try again tomorrow."
        }
        if quota.maxShares > 0 || usage.shares.count >= TokenUsage.shareLimit {
            let limit = quota.maxShares > 0 ? min(quota.maxShares, TokenUsage.shareLimit) : TokenUsage.shareLimit
            if usage.shares.count + 1 > limit { return "This upload token already keeps \(usage.shares.count, as: "count") shares, its limit." }
        }
        if quota.maxBytes > 0, usage.bytes + size > quota.maxBytes {
            return
                "This upload token keeps \(ClientLimiter.words(usage.bytes), as: "kept") of its \(ClientLimiter.words(quota.maxBytes), as: "most"); this file (\(ClientLimiter.words(size), as: "size")) does not fit. Revoke a share or wait for one to expire."
        }
        return nil
    }

    /// Refuses a declaration that could not fit (an early answer; the charge at completion is the one that holds).
    func check(_ owner: String, size: Int64, at time: Int64) throws {
        if let problem = excess(try usage(owner), adding: size, at: time) { throw GatewayError(403, .quotaExceeded, problem) }
    }

    /// Counts `share` of `size` bytes against the owner, or refuses it when it would exceed the quota; `time` is in
    /// milliseconds since 1970.
    func charge(_ owner: String, share: String, size: Int64, at time: Int64) throws {
        var problem: Wording?
        _ = try state(owner).update(initial: TokenUsage()) { usage in
            guard usage.shares[share] == nil else { return false }  // charged before: a retried completion
            problem = excess(usage, adding: size, at: time / 1000)
            guard problem == nil else { return false }
            let today = Self.day(of: time / 1000)
            usage.madeThatDay = usage.made(on: today) + 1
            usage.day = today
            usage.shares[share] = size
            usage.created = (usage.created ?? [:]).merging([share: time]) { _, new in new }
            return true
        }
        if let problem { throw GatewayError(403, .quotaExceeded, problem) }
    }

    /// Holds `bytes` more for a share already counted (files its owner adds), or refuses them past `maxBytes`; a
    /// share not counted here is left alone. ``adjust(_:share:by:)`` then gives back what the change did not use.
    func reserve(_ owner: String, share: String, adding bytes: Int64) throws {
        var problem: Wording?
        _ = try state(owner).update(initial: TokenUsage()) { usage in
            guard let held = usage.shares[share] else { return false }
            if quota.maxBytes > 0, usage.bytes + bytes > quota.maxBytes {
                problem =
                    "This account keeps \(ClientLimiter.words(usage.bytes), as: "kept") of its \(ClientLimiter.words(quota.maxBytes), as: "most"); the files to add (\(ClientLimiter.words(bytes), as: "size")) do not fit."
                return false
            }
            usage.shares[share] = held + bytes
            return true
        }
        if let problem { throw GatewayError(403, .quotaExceeded, problem) }
    }

    /// Changes what a counted share holds by `delta` bytes (a change's files, less what it reserved), never below
    /// nothing. Exact under any interleaving: each change adds or gives back only its own bytes.
    func adjust(_ owner: String, share: String, by delta: Int64) throws {
        guard delta != 0 else { return }
        _ = try state(owner).update(initial: TokenUsage()) { usage in
            guard let held = usage.shares[share] else { return false }
            usage.shares[share] = max(0, held + delta)
            return true
        }
    }

    /// Gives a share's bytes back (revoked, or swept after it died); harmless when done twice.
    func release(_ owner: String, share: String) throws {
        _ = try state(owner).update(initial: TokenUsage()) { usage in
            usage.created?.removeValue(forKey: share)
            return usage.shares.removeValue(forKey: share) != nil
        }
    }
}
