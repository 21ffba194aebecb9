import Crypto
import Foundation
import HTTPServer
import S3Common

extension EmbeddedStore {
    /// The checksum a multipart upload declared at creation: `x-amz-checksum-algorithm` and `x-amz-checksum-type`.
    /// `FULL_OBJECT` is for the CRCs only, and CRC64NVME is only `FULL_OBJECT`, as on S3; the type defaults to
    /// `FULL_OBJECT` for CRC64NVME and `COMPOSITE` for the others.
    static func declaredChecksum(_ headers: HTTPHeaders) throws -> (algorithm: ChecksumAlgorithm, type: String)? {
        let typeText = headers["x-amz-checksum-type"].map { ASCIIText.trimmed($0).uppercased() }
        guard let text = headers["x-amz-checksum-algorithm"] else {
            guard typeText == nil else {
                throw S3Error(.invalidRequest, "x-amz-checksum-type needs x-amz-checksum-algorithm.", status: 400)
            }
            return nil
        }
        guard let algorithm = ChecksumAlgorithm(rawValue: ASCIIText.trimmed(text).uppercased()) else {
            throw S3Error(.invalidRequest, "Checksum algorithm provided is unsupported: \(text).", status: 400)
        }
        let type = typeText ?? (algorithm == .crc64nvme ? "FULL_OBJECT" : "COMPOSITE")
        guard type == "COMPOSITE" || type == "FULL_OBJECT" else {
            throw S3Error(.invalidRequest, "x-amz-checksum-type must be COMPOSITE or FULL_OBJECT.", status: 400)
        }
        guard type == "COMPOSITE" ? algorithm != .crc64nvme : algorithm.isCRC else {
            throw S3Error(
                .invalidRequest, "The \(type) checksum type cannot be used with the \(algorithm.rawValue) checksum algorithm.", status: 400)
        }
        return (algorithm, type)
    }

    /// A part of an upload that declared `algorithm` may carry only that checksum.
    static func checkPartChecksum(_ headers: HTTPHeaders, upload algorithm: ChecksumAlgorithm?) throws {
        guard let algorithm else { return }
        if let other = ChecksumAlgorithm.allCases.first(where: { $0 != algorithm && headers.contains($0.headerName) }) {
            throw S3Error(
                .invalidRequest,
                "Checksum Type mismatch occurred, expected checksum Type: \(algorithm.rawValue.lowercased()), actual checksum Type: \(other.rawValue.lowercased())",
                status: 400)
        }
    }

    /// S3's composite checksum: the algorithm over the parts' raw digests, in base64, then `-N`.
    static func compositeChecksum(_ algorithm: ChecksumAlgorithm, parts: [String]) -> String? {
        var digests: [UInt8] = []
        for part in parts {
            guard let bytes = Data(base64Encoded: part) else { return nil }
            digests += bytes
        }
        var digest = StreamingDigest(algorithms: [algorithm])
        digests.withUnsafeBytes { digest.update($0) }
        return digest.base64(algorithm).map { "\($0)-\(parts.count)" }
    }

    /// The checksum of a whole assembled object, read back from its temporary file.
    static func fullObjectChecksum(_ algorithm: ChecksumAlgorithm, fd: Int32, length: Int64) throws -> String {
        var digest = StreamingDigest(algorithms: [algorithm])
        var offset: Int64 = 0
        while offset < length {
            let chunk = try FileIO.read(fd, count: Int(min(Int64(1 << 20), length - offset)), at: offset)
            guard !chunk.isEmpty else { break }
            chunk.withUnsafeBytes { digest.update($0) }
            offset += Int64(chunk.count)
        }
        return digest.base64(algorithm) ?? ""
    }

    /// The object's checksum of a completed upload that declared one, after checking what the request lists: a part's
    /// listed checksum must be the stored one (400 `InvalidPart`), and an expected whole-object value in the
    /// request's `x-amz-checksum-*` header must match (400 `BadDigest`).
    func completedChecksum(
        upload: MultipartStore.Upload, listed: [CompleteMultipartUpload.Part], chosen: [(number: Int, metadata: ObjectMetadata, dataLength: Int64)],
        request: HTTPRequest, fd: Int32, length: Int64
    ) throws -> [ChecksumAlgorithm: String] {
        guard let algorithm = upload.checksumAlgorithm else { return [:] }
        for (part, stored) in zip(listed, chosen) {
            if let given = part.checksums[algorithm], given != stored.metadata.checksums[algorithm.rawValue] {
                throw S3Error(
                    .invalidPart,
                    "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                    status: 400, details: [("PartNumber", String(part.number))])
            }
        }
        let value: String
        if upload.checksumType == "FULL_OBJECT" {
            value = try Self.fullObjectChecksum(algorithm, fd: fd, length: length)
        } else {
            guard let composite = Self.compositeChecksum(algorithm, parts: chosen.compactMap { $0.metadata.checksums[algorithm.rawValue] }),
                chosen.allSatisfy({ $0.metadata.checksums[algorithm.rawValue] != nil })
            else { throw S3Error.internalError("A part of the upload lacks its \(algorithm.rawValue) checksum.") }
            value = composite
        }
        if let expected = request.headers[algorithm.headerName], ASCIIText.trimmed(expected) != value {
            throw S3Error(.badDigest, "The \(algorithm.rawValue) you specified did not match the calculated checksum.", status: 400)
        }
        return [algorithm: value]
    }
}
