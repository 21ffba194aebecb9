import Foundation
import Glibc
import HTTPServer
import S3Common
import SigV4

extension EmbeddedStore {
    /// PutObject: streams the body to disk, verifies x-amz-content-sha256, Content-MD5 and x-amz-checksum-*,
    /// honours If-None-Match: *, and publishes the object atomically.
    func putObject(_ request: HTTPRequest, body: HTTPRequestBody, bucket: String, key: String, verified: VerifiedRequest) throws -> HTTPResponse {
        try requireBucket(bucket)
        let upload = try receiveBody(request, body: body, verified: verified, limit: configuration.maximumObjectSize)
        let ifMatch = request.headers["if-match"]
        let ifNoneMatch = request.headers["if-none-match"].map { ASCIIText.trimmed(Substring($0)) }
        let noOverwrite = ifNoneMatch == "*"
        var metadata = ObjectMetadata.fromHeaders(request.headers, key: key, now: now().timeIntervalSince1970.rounded(.down))
        metadata.size = upload.digest.byteCount
        metadata.etag = upload.digest.md5Hex()
        metadata.checksums = upload.checksums
        try disk.withKeyLock(bucket: bucket, key: key) {
            try Self.checkWritePreconditions(
                ifMatch: ifMatch, ifNoneMatch: noOverwrite ? nil : ifNoneMatch, existing: disk.metadata(bucket: bucket, key: key), key: key)
            try disk.commit(temporary: upload.file, dataLength: upload.digest.byteCount, metadata: metadata, bucket: bucket, overwrite: !noOverwrite)
        }
        var response = HTTPResponse(status: 200)
        response.headers.set("ETag", "\"\(metadata.etag)\"")
        for (algorithm, value) in metadata.checksums { response.headers.set("x-amz-checksum-\(algorithm.lowercased())", value) }
        return response
    }

    /// A body received into a temporary file, hashed and verified.
    struct ReceivedBody {
        var file: TemporaryFile
        var digest: StreamingDigest
        /// Verified checksums by algorithm name.
        var checksums: [String: String]
    }

    /// Streams a PUT body (plain or aws-chunked) into a temporary file and checks every digest the client declared.
    ///
    /// - Parameter alsoComputing: a checksum to compute and keep even when the request does not send it (a part of an
    ///   upload that declared an algorithm).
    func receiveBody(
        _ request: HTTPRequest, body: HTTPRequestBody, verified: VerifiedRequest, limit: Int64, alsoComputing: ChecksumAlgorithm? = nil
    ) throws -> ReceivedBody {
        let headers = request.headers
        var source: BodySource = body
        var chunked: AWSChunkedReader?
        let declaredLength: Int64
        switch verified.payload {
        case .streamingSigned, .streamingSignedWithTrailer, .streamingUnsignedWithTrailer:
            guard let decoded = headers["x-amz-decoded-content-length"].flatMap({ Int64($0) }), decoded >= 0 else {
                throw S3Error(.missingContentLength, "An aws-chunked upload needs x-amz-decoded-content-length.", status: 411)
            }
            declaredLength = decoded
            let reader = AWSChunkedReader(source: body, payload: verified.payload, chain: verified.chunkChain)
            chunked = reader
            source = reader
        default:
            if let length = body.contentLength {
                declaredLength = length
            } else if request.framing == .chunked {
                declaredLength = -1  // HTTP chunked with no Content-Length: stored whole, up to the limit, as S3 takes it
            } else {
                throw S3Error(.missingContentLength, "You must provide the Content-Length HTTP header.", status: 411)
            }
        }
        guard declaredLength <= limit else {
            throw S3Error(.entityTooLarge, "Your proposed upload is \(declaredLength) bytes; the maximum allowed is \(limit).", status: 400)
        }
        var algorithms = Set(ChecksumAlgorithm.allCases.filter { headers.contains($0.headerName) })
        if let trailer = headers["x-amz-trailer"].flatMap(ChecksumAlgorithm.init(headerName:)) { algorithms.insert(trailer) }
        if let requested = headers["x-amz-sdk-checksum-algorithm"].flatMap({ ChecksumAlgorithm(rawValue: $0.uppercased()) }) {
            algorithms.insert(requested)
        }
        if case .sha256Hex = verified.payload { algorithms.insert(.sha256) }
        if let alsoComputing { algorithms.insert(alsoComputing) }
        try body.requireReady()  // before the temporary file: a client asked for 100 Continue gets it, then the body
        let file = try disk.temporaryFile()
        var received = ReceivedBody(file: file, digest: StreamingDigest(algorithms: []), checksums: [:])
        received.digest = try ObjectWriter.stream(source, to: file.fd, algorithms: algorithms, limit: declaredLength < 0 ? limit : declaredLength)
        guard declaredLength < 0 || received.digest.byteCount == declaredLength else {
            throw S3Error(
                .incompleteBody,
                "You did not provide the number of bytes specified by the Content-Length HTTP header: \(declaredLength) declared, \(received.digest.byteCount) sent.",
                status: 400)
        }
        try verifyDigests(
            received.digest, headers: headers, trailers: chunked?.trailers ?? [:], payload: verified.payload, into: &received.checksums)
        return received
    }

    func verifyDigests(
        _ digest: StreamingDigest, headers: HTTPHeaders, trailers: [String: String], payload: Payload, into checksums: inout [String: String]
    ) throws {
        if case .sha256Hex(let expected) = payload, let actual = digest.base64(.sha256).flatMap({ Data(base64Encoded: $0) }) {
            let hex = Hex.string(actual)
            guard hex == expected else {
                throw S3Error(
                    .xAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.", status: 400,
                    details: [("ClientComputedContentSHA256", expected), ("S3ComputedContentSHA256", hex)])
            }
        }
        if let contentMD5 = headers["content-md5"] {
            guard let expected = Data(base64Encoded: contentMD5), expected.count == 16 else {
                throw S3Error(.invalidDigest, "The Content-MD5 you specified was invalid.", status: 400)
            }
            guard Array(expected) == digest.md5Bytes() else {
                throw S3Error(.badDigest, "The Content-MD5 you specified did not match what we received.", status: 400)
            }
        }
        for algorithm in ChecksumAlgorithm.allCases {
            guard let actual = digest.base64(algorithm) else { continue }
            if let expected = headers[algorithm.headerName] ?? trailers[algorithm.headerName.lowercased()] {
                guard let decoded = Data(base64Encoded: expected), decoded.count == algorithm.digestLength else {
                    throw S3Error.invalidArgument("Value for \(algorithm.headerName) header is invalid.")
                }
                guard expected == actual else {
                    throw S3Error(.badDigest, "The \(algorithm.rawValue) you specified did not match the calculated checksum.", status: 400)
                }
            }
            if algorithm != .sha256 || headers[algorithm.headerName] != nil || trailers[algorithm.headerName] != nil
                || headers["x-amz-sdk-checksum-algorithm"]?.uppercased() == "SHA256"
            {
                checksums[algorithm.rawValue] = actual
            }
        }
    }

    static func userMetadata(_ headers: HTTPHeaders) -> [String: String] {
        var metadata: [String: String] = [:]
        for field in headers where field.name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(field.name.lowercased().dropFirst("x-amz-meta-".count))] = field.value
        }
        return metadata
    }

    /// Content-Encoding without the `aws-chunked` transport coding.
    static func storedContentEncoding(_ value: String?) -> String? {
        guard let value else { return nil }
        let codings = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            $0.lowercased() != "aws-chunked" && !$0.isEmpty
        }
        return codings.isEmpty ? nil : codings.joined(separator: ", ")
    }

    /// Whether an If-Match / If-None-Match list names `etag` (or is `*`).
    /// S3's conditional writes: `If-Match: <etag>` is 404 NoSuchKey when there is no object and 412 when its ETag
    /// differs; `If-None-Match: <etag>` (other than `*`, which the publish itself enforces) is 412 when it matches.
    static func checkWritePreconditions(ifMatch: String?, ifNoneMatch: String?, existing: ObjectMetadata?, key: String) throws {
        if let ifMatch {
            guard let existing else { throw S3Error.noSuchKey(key) }
            guard etagMatches(ifMatch, existing.etag) else {
                throw S3Error(
                    .preconditionFailed, "At least one of the preconditions you specified did not hold.", status: 412,
                    details: [("Condition", "If-Match")])
            }
        }
        if let ifNoneMatch, let existing, etagMatches(ifNoneMatch, existing.etag) {
            throw S3Error(
                .preconditionFailed, "At least one of the preconditions you specified did not hold.", status: 412,
                details: [("Condition", "If-None-Match")])
        }
    }

    static func etagMatches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains { candidate in
            candidate == "*" || ASCIIText.unquoted(candidate.hasPrefix("W/") ? candidate.dropFirst(2) : candidate[...]) == etag
        }
    }
}
