import DropgateAPI
import Foundation
import S3Client
import Synchronization

/// Which events mail a user, kept at `.dropgate/accounts/<owner>/notices.json` and read at most every few seconds per
/// gateway, so an event costs nothing for a user who asked for no mail.
final class NoticePreferences: Sendable {
    struct Stored: Codable, Sendable, Equatable {
        var mail: [NoticeEvent.Kind]
    }

    /// The events a user may be mailed about (the rest are for webhooks).
    static let mailable: [NoticeEvent.Kind] = [.requestSubmitted, .shareDownloaded, .shareDownloadLimitReached, .shareExpiring]

    let client: S3Client
    let now: @Sendable () -> Date
    private let cache = Mutex<[String: (read: Date, kinds: [NoticeEvent.Kind])]>([:])
    /// Share id → its own choice (nil: its owner's), as read at most a few seconds ago; bounded.
    private let shareCache = Mutex<[String: (read: Date, kinds: [NoticeEvent.Kind]?)]>([:])

    init(client: S3Client, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.now = now
    }

    static func key(_ owner: String) -> String { ".dropgate/accounts/\(owner)/notices.json" }
    static let sharePrefix = ".dropgate/share-notices/"
    static func shareKey(_ share: String) -> String { sharePrefix + share + ".json" }

    /// The events that mail the owner of `share` about it: its own choice, else nil (its owner's default applies).
    func mail(ofShare share: String, fresh: Bool = false) throws -> [NoticeEvent.Kind]? {
        let time = now()
        if !fresh, let cached = shareCache.withLock({ $0[share] }), time.timeIntervalSince(cached.read) < WebhookStore.cacheSeconds {
            return cached.kinds
        }
        let kinds = try client.record(Stored.self, at: Self.shareKey(share))?.mail
        shareCache.withLock { table in
            if table.count >= 10_000 { table.removeAll() }
            table[share] = (time, kinds)
        }
        return kinds
    }

    /// A share's own choice; nil goes back to its owner's default.
    func setMail(_ kinds: [NoticeEvent.Kind]?, ofShare share: String) throws {
        if let kinds {
            _ = try client.putObject(key: Self.shareKey(share), body: try APIJSON.encode(Stored(mail: kinds)), contentType: "application/json")
        } else {
            try client.deleteObject(key: Self.shareKey(share))
        }
        shareCache.withLock { $0[share] = (now(), kinds) }
    }

    /// The events that mail `owner`.
    func mail(of owner: String, fresh: Bool = false) throws -> [NoticeEvent.Kind] {
        let time = now()
        if !fresh, let cached = cache.withLock({ $0[owner] }), time.timeIntervalSince(cached.read) < WebhookStore.cacheSeconds { return cached.kinds }
        let kinds = try client.record(Stored.self, at: Self.key(owner))?.mail ?? []
        cache.withLock { $0[owner] = (time, kinds) }
        return kinds
    }

    func setMail(_ kinds: [NoticeEvent.Kind], of owner: String) throws {
        _ = try client.putObject(key: Self.key(owner), body: try APIJSON.encode(Stored(mail: kinds)), contentType: "application/json")
        cache.withLock { $0[owner] = (now(), kinds) }
    }
}
