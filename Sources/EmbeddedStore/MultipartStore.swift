import Foundation
import Glibc
import S3Common
import SigV4

/// In-progress multipart uploads: `multipart/<uploadId>/upload.json` and one object-format file per part.
final class MultipartStore: Sendable {
    /// What CreateMultipartUpload recorded for the final object.
    struct Upload: Codable, Sendable {
        var bucket: String
        var key: String
        var initiated: Double
        /// The final object's representation headers and user metadata (its sizes and ETag come at completion).
        var representation: ObjectMetadata
        /// `x-amz-checksum-algorithm`, when the upload declared one.
        var checksumAlgorithm: ChecksumAlgorithm? = nil
        /// `COMPOSITE` or `FULL_OBJECT` (`x-amz-checksum-type`).
        var checksumType: String? = nil
    }

    let root: String

    init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// Upload ids are 128 random bits in hex, so they are never paths and never guessable.
    static func isValidID(_ id: String) -> Bool { id.utf8.count == 32 && id.utf8.allSatisfy { Hex.isLowercaseHexDigit($0) } }

    func create(_ upload: Upload) throws -> String {
        let id = Hex.string((0..<16).map { _ in UInt8.random(in: 0...255) })
        try FileIO.makeDirectory("\(root)/\(id)")
        do {
            try FileIO.writeFileAtomically("\(root)/\(id)/upload.json", Array(try JSONEncoder().encode(upload)))
        } catch {
            remove(id)  // no upload without its record
            throw error
        }
        return id
    }

    /// What a completed upload became, kept so that a retried CompleteMultipartUpload answers as the first one did.
    struct Completed: Codable, Sendable, Equatable {
        var etag: String
        /// Part numbers and ETags, as completed.
        var parts: [Int: String]
        var checksums: [ChecksumAlgorithm: String]? = nil
        var checksumType: String? = nil
    }

    /// The upload `id` for `bucket`/`key`, or NoSuchUpload (also once it is completed).
    func upload(_ id: String, bucket: String, key: String) throws -> Upload {
        guard Self.isValidID(id), let data = FileManager.default.contents(atPath: "\(root)/\(id)/upload.json"),
            let upload = try? JSONDecoder().decode(Upload.self, from: data), upload.bucket == bucket, upload.key == key,
            !FileManager.default.fileExists(atPath: "\(root)/\(id)/completed.json")
        else {
            throw S3Error(
                .noSuchUpload,
                "The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
                status: 404, details: [("UploadId", id)])
        }
        return upload
    }

    func partPath(_ id: String, _ number: Int) -> String { "\(root)/\(id)/part-\(String(format: "%05d", number))" }

    /// Publishes a received part (already fsynced by the caller's commit) under its number, replacing an earlier one.
    func storePart(_ id: String, number: Int, temporary: TemporaryFile, metadata: ObjectMetadata, dataLength: Int64) throws {
        try ObjectFile.appendMetadata(metadata, fd: temporary.fd, dataLength: dataLength)
        try FileIO.sync(temporary.fd)
        guard rename(temporary.path, partPath(id, number)) == 0 else { throw FileIO.failure("Storing a part") }
        FileIO.syncDirectory("\(root)/\(id)")
    }

    /// The stored parts, by number.
    func parts(_ id: String) -> [(number: Int, metadata: ObjectMetadata, dataLength: Int64)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(id)")) ?? []
        return names.compactMap { name -> (Int, ObjectMetadata, Int64)? in
            guard name.hasPrefix("part-"), let number = Int(name.dropFirst(5)) else { return nil }
            let fd = open("\(root)/\(id)/\(name)", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            guard let (metadata, length) = try? ObjectFile.readMetadata(fd: fd) else { return nil }
            return (number, metadata, length)
        }.sorted { $0.0 < $1.0 }
    }

    /// The record of upload `id` of `bucket`/`key` if it was completed.
    func completed(_ id: String, bucket: String, key: String) -> Completed? {
        guard Self.isValidID(id), let data = FileManager.default.contents(atPath: "\(root)/\(id)/upload.json"),
            let upload = try? JSONDecoder().decode(Upload.self, from: data), upload.bucket == bucket, upload.key == key,
            let record = FileManager.default.contents(atPath: "\(root)/\(id)/completed.json")
        else { return nil }
        return try? JSONDecoder().decode(Completed.self, from: record)
    }

    /// Records that `id` was completed and drops its parts; the record goes with the stale sweep.
    func markCompleted(_ id: String, _ record: Completed) throws {
        try FileIO.writeFileAtomically("\(root)/\(id)/completed.json", Array(try JSONEncoder().encode(record)))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(id)")) ?? [] where name.hasPrefix("part-") {
            unlink("\(root)/\(id)/\(name)")
        }
    }

    func remove(_ id: String) {
        guard Self.isValidID(id) else { return }
        try? FileManager.default.removeItem(atPath: "\(root)/\(id)")
    }

    /// Uploads in `bucket`, oldest first.
    func uploads(bucket: String) -> [(id: String, upload: Upload)] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return ids.compactMap { id in
            guard let data = FileManager.default.contents(atPath: "\(root)/\(id)/upload.json"),
                let upload = try? JSONDecoder().decode(Upload.self, from: data), upload.bucket == bucket,
                !FileManager.default.fileExists(atPath: "\(root)/\(id)/completed.json")
            else { return nil }
            return (id, upload)
        }.sorted { $0.upload.initiated < $1.upload.initiated }
    }

    /// Removes uploads not touched for `age` seconds (and folders with no record).
    func removeStale(olderThan age: Double, now: Date) {
        let cutoff = now.addingTimeInterval(-age)
        for id in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: "\(root)/\(id)")
            let modified = attributes?[.modificationDate] as? Date ?? .distantPast
            if modified < cutoff || !FileManager.default.fileExists(atPath: "\(root)/\(id)/upload.json") {
                try? FileManager.default.removeItem(atPath: "\(root)/\(id)")
            }
        }
    }
}
