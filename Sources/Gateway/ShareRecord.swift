import Foundation
import S3Client

/// A share: a small JSON record in the bucket under `.dropgate/shares/`, so any number of gateways
/// behind a load balancer see the same shares.
public struct ShareRecord: Codable, Sendable, Hashable {
    public var id: String
    public var key: String
    public var filename: String
    public var size: Int64
    public var contentType: String
    /// Seconds since 1970.
    public var createdAt: Int64
    public var expiresAt: Int64
    public var maxDownloads: Int?
    public var downloads: Int
    public var revoked: Bool

    /// Why the share can no longer be opened, if it cannot.
    public func unavailability(at now: Date) -> String? {
        if revoked { return "This share was revoked by its owner." }
        if Int64(now.timeIntervalSince1970) >= expiresAt { return "This share has expired." }
        if let maxDownloads, downloads >= maxDownloads { return "This share reached its download limit." }
        return nil
    }
}

/// Reads and writes share records through the S3 client.
struct ShareStore: Sendable {
    let client: S3Client

    static func key(_ id: String) -> String { ObjectKey.sharePrefix + id + ".json" }

    /// Whether `id` has the shape of a share id (22 base64url characters); anything else is never looked up.
    static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 22
            && id.utf8.allSatisfy {
                (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F
            }
    }

    func load(_ id: String) throws -> ShareRecord? {
        guard Self.isValidID(id) else { return nil }
        do {
            let (bytes, _) = try client.getObject(key: Self.key(id))
            return try JSONDecoder().decode(ShareRecord.self, from: Data(bytes))
        } catch let error as S3ClientError where error.status == 404 {
            return nil
        }
    }

    func save(_ record: ShareRecord, create: Bool = false) throws {
        let body = try JSONEncoder.sorted.encode(record)
        try client.putObject(key: Self.key(record.id), body: Array(body), contentType: "application/json", ifNoneMatch: create)
    }
}
