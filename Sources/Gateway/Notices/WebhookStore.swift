import DropgateAPI
import Foundation
import S3Client
import Synchronization

/// Where webhooks live in the bucket, so every gateway of it sees the same endpoints and the same queue:
///
///     .dropgate/webhooks/endpoints/<id>.json       a user's endpoint
///     .dropgate/accounts/<owner>/webhooks/<id>     its index entry (empty)
///     .dropgate/webhooks/queue/<endpoint>/<event>  a delivery to make (create-only: one per endpoint and event)
///     .dropgate/webhooks/log/<endpoint>.json       its last attempts
///
/// A user's endpoints are read at most every few seconds per gateway (``endpoints(of:)`` caches them), so an event
/// on a hot path costs nothing when its owner has none.
final class WebhookStore: Sendable {
    static let root = ".dropgate/webhooks/"
    static let queuePrefix = root + "queue/"
    /// How long a gateway trusts what it read of a user's endpoints.
    static let cacheSeconds: TimeInterval = 5

    let client: S3Client
    let now: @Sendable () -> Date
    private let cache = Mutex<[String: (read: Date, endpoints: [WebhookEndpoint])]>([:])

    init(client: S3Client, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.now = now
    }

    static func endpointKey(_ id: String) -> String { root + "endpoints/\(id).json" }
    static func ownerPrefix(_ owner: String) -> String { ".dropgate/accounts/\(owner)/webhooks/" }
    static func logKey(_ endpoint: String) -> String { root + "log/\(endpoint).json" }

    /// The user's endpoints (disabled ones too), as read at most ``cacheSeconds`` ago.
    func endpoints(of owner: String, fresh: Bool = false) throws -> [WebhookEndpoint] {
        let time = now()
        if !fresh, let cached = cache.withLock({ $0[owner] }), time.timeIntervalSince(cached.read) < Self.cacheSeconds { return cached.endpoints }
        let prefix = Self.ownerPrefix(owner)
        let ids = try client.listObjects(prefix: prefix, maxKeys: 100).objects.map { String($0.key.dropFirst(prefix.count)) }
        let endpoints = try ids.compactMap(endpoint)
        cache.withLock { $0[owner] = (time, endpoints) }
        return endpoints
    }

    func endpoint(_ id: String) throws -> WebhookEndpoint? {
        guard ShareStore.isValidID(id) else { return nil }
        return try client.record(WebhookEndpoint.self, at: Self.endpointKey(id))
    }

    func save(_ endpoint: WebhookEndpoint) throws {
        _ = try client.putObject(key: Self.endpointKey(endpoint.id), body: try APIJSON.encode(endpoint), contentType: "application/json")
        if let owner = endpoint.owner {
            _ = try client.create(key: Self.ownerPrefix(owner) + endpoint.id, body: [], contentType: "text/plain")
            forget(owner)
        }
    }

    /// The endpoint, its index entry, its queue and its log go.
    func delete(_ endpoint: WebhookEndpoint) throws {
        if let owner = endpoint.owner { try client.deleteObject(key: Self.ownerPrefix(owner) + endpoint.id) }
        try client.deleteObject(key: Self.endpointKey(endpoint.id))
        for queued in try client.listObjects(prefix: Self.queuePrefix + endpoint.id + "/", maxKeys: 1_000).objects {
            try client.deleteObject(key: queued.key)
        }
        try client.deleteObject(key: Self.logKey(endpoint.id))
        if let owner = endpoint.owner { forget(owner) }
    }

    func forget(_ owner: String) { _ = cache.withLock { $0.removeValue(forKey: owner) } }

    /// The endpoint's last attempts, newest first.
    func log(_ endpoint: String) throws -> [WebhookAttempt] {
        try client.record([WebhookAttempt].self, at: Self.logKey(endpoint)) ?? []
    }

    /// Adds an attempt to the endpoint's log (only the queue's lease holder writes it), keeping the last 20.
    func record(_ attempt: WebhookAttempt, endpoint: String) throws {
        let kept = [attempt] + (try log(endpoint)).prefix(19)
        _ = try client.putObject(key: Self.logKey(endpoint), body: try APIJSON.encode(Array(kept)), contentType: "application/json")
    }
}
