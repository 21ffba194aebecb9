import Crypto
import DropgateAPI
import Foundation
import S3Client
import SigV4
import Synchronization

/// Reads and writes share records through the S3 client.
struct ShareStore: Sendable {
    let client: S3Client
    /// Cleared when the store refuses an If-Match that names the current ETag (Ceph RGW 16 refuses every
    /// If-Match on PUT): updates then fall back to plain writes, as they would on a store without them.
    let conditionalWrites = ConditionalWriteSupport()

    static func key(_ id: String) -> String { ObjectKey.sharePrefix + id + ".json" }

    /// Where the share id of an upload key is kept: found from the key alone, whatever `gateway.secret` was when the
    /// share was made, so a changed secret (or another deployment on the bucket) never makes a live share look orphaned.
    static func indexKey(forUploadKey uploadKey: String) -> String {
        ObjectKey.keyIndexPrefix + Hex.string(Array(SHA256.hash(data: Array(uploadKey.utf8)))) + ".json"
    }

    /// Records that `uploadKey`'s share is `id`; written before the share record, so a share never exists unindexed.
    ///
    /// - Returns: nil when written now; when an entry was there already, the share it names (this one, for an earlier
    ///   attempt of the same completion, or another share, which then serves the file).
    func saveIndex(uploadKey: String, shareID id: String) throws -> String? {
        let body = try APIJSON.encoder.encode(KeyIndex(share: id))
        do {
            try client.putObject(key: Self.indexKey(forUploadKey: uploadKey), body: Array(body), contentType: "application/json", ifNoneMatch: true)
            return nil
        } catch let error as S3ClientError where error.status == 412 {
            return try indexedShareID(uploadKey: uploadKey) ?? id
        }
    }

    /// The share id recorded for `uploadKey`, if any.
    func indexedShareID(uploadKey: String) throws -> String? {
        do {
            let bytes = try client.getObject(key: Self.indexKey(forUploadKey: uploadKey)).bytes
            return (try? APIJSON.decoder.decode(KeyIndex.self, from: Data(bytes)))?.share
        } catch let error as S3ClientError where error.status == 404 {
            return nil
        }
    }

    /// The body of an index entry.
    struct KeyIndex: Codable {
        var share: String
    }

    /// Whether `id` has the shape of a share id (22 base64url characters); anything else is never looked up.
    static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 22
            && id.utf8.allSatisfy {
                (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F
            }
    }

    func load(_ id: String) throws -> ShareRecord? {
        try loadVersioned(id)?.record
    }

    /// The record and the ETag of the version read.
    func loadVersioned(_ id: String) throws -> (record: ShareRecord, etag: String)? {
        guard Self.isValidID(id) else { return nil }
        do {
            let (bytes, info) = try client.getObject(key: Self.key(id))
            let record = try APIJSON.decoder.decode(ShareRecord.self, from: Data(bytes))
            guard record.isWellFormed, record.id == id else { return nil }  // a record no gateway wrote serves nothing
            return (record, info.etag)
        } catch let error as S3ClientError where error.status == 404 {
            return nil
        }
    }

    /// Writes a record; `create` refuses to replace one, `replacing` replaces only that version (If-Match).
    func save(_ record: ShareRecord, create: Bool = false, replacing etag: String? = nil) throws {
        let body = try APIJSON.encoder.encode(record)
        try client.putObject(key: Self.key(record.id), body: Array(body), contentType: "application/json", ifNoneMatch: create, ifMatch: etag)
    }

    /// Reads, changes and writes a record with optimistic concurrency: when another gateway wrote it in
    /// between (412), it reads again and retries, so no download count or revocation is lost.
    /// `change` returns false to leave the record as it is. Returns the record as it stands, or nil when there is none.
    func update(_ id: String, attempts: Int = 30, _ change: (inout ShareRecord) throws -> Bool) throws -> ShareRecord? {
        for attempt in 1...attempts {
            guard let (loaded, etag) = try loadVersioned(id) else { return nil }
            var record = loaded
            guard try change(&record) else { return record }
            guard conditionalWrites.isSupported else {
                try save(record)
                return record
            }
            do {
                try save(record, replacing: etag)
                return record
            } catch let error as S3ClientError where error.status == 412 && attempt < attempts {
                if try loadVersioned(id)?.etag == etag {
                    conditionalWrites.markUnsupported()  // nobody else wrote: the store refused a matching If-Match
                } else {
                    // Another writer won; back off a random 1–10 ms so that contenders spread out.
                    Thread.sleep(forTimeInterval: Double.random(in: 0.001...0.010))
                }
                continue
            }
        }
        return nil
    }
}

/// Whether the store honours `If-Match` on PUT; learned at run time.
final class ConditionalWriteSupport: Sendable {
    private let supported = Atomic<Bool>(true)

    var isSupported: Bool { supported.load(ordering: .relaxed) }

    func markUnsupported() { supported.store(false, ordering: .relaxed) }
}
