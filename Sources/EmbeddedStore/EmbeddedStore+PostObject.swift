import Foundation
import HTTPServer
import S3Common
import SigV4

extension EmbeddedStore {
    /// POST Object: a browser form with a signed policy. The fields before the file are verified against
    /// the policy before any file byte is stored; the file streams to disk within content-length-range.
    func postObject(_ request: HTTPRequest, body: HTTPRequestBody, bucket: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        let form = try MultipartFormReader(source: body, contentType: request.headers["content-type"] ?? "")
        var (fields, filename, _) = try form.readFieldsUntilFile()
        fields = fields.map { field in
            field.name.lowercased() == "key" ? (field.name, field.value.replacingOccurrences(of: "${filename}", with: filename)) : field
        }
        let verified: VerifiedPostForm
        do {
            verified = try verifier.verifyPostForm(fields, bucket: bucket, allowsSignatureVersion2: configuration.allowsSignatureVersion2)
        } catch {
            throw S3Error(error)
        }
        try Self.validate(key: verified.key)
        guard !verified.key.isEmpty else { throw S3Error.invalidArgument("The key field is empty.") }
        let range = verified.contentLengthRange ?? 0...configuration.maximumObjectSize
        // The form's fields as headers: its representation (Content-Type, x-amz-meta-*, …) and its checksums.
        let formHeaders = HTTPHeaders(verified.fields.sorted { $0.key < $1.key }.map { HTTPHeaders.Field($0.key, $0.value) })
        let algorithms = Set(ChecksumAlgorithm.allCases.filter { formHeaders.contains($0.headerName) })
        let file = try disk.temporaryFile()
        let digest: StreamingDigest
        do {
            digest = try ObjectWriter.stream(
                form, to: file.fd, algorithms: algorithms, limit: min(range.upperBound, configuration.maximumObjectSize))
            guard digest.byteCount >= range.lowerBound else {
                throw S3Error(
                    .entityTooSmall, "Your proposed upload is smaller than the minimum allowed size of \(range.lowerBound) bytes.", status: 400)
            }
        } catch let error as S3Error where error.code == .entityTooLarge {
            throw S3Error(.entityTooLarge, "Your proposed upload exceeds the maximum allowed size of \(range.upperBound) bytes.", status: 400)
        }
        let values = verified.fields
        var metadata = ObjectMetadata.fromHeaders(formHeaders, key: verified.key, now: now().timeIntervalSince1970.rounded(.down))
        metadata.size = digest.byteCount
        metadata.etag = digest.md5Hex()
        try verifyDigests(
            digest, headers: HTTPHeaders(formHeaders.filter { ChecksumAlgorithm(headerName: $0.name) != nil }), trailers: [:], payload: .unsigned,
            into: &metadata.checksums)
        try disk.commit(temporary: file, dataLength: digest.byteCount, metadata: metadata, bucket: bucket, overwrite: true)
        _ = try? body.readAll(limit: 1 << 20)
        let etag = "\"\(metadata.etag)\""
        let location = "/\(bucket)/\(PercentEncoding.encode(verified.key, keepingSlash: true))"
        if let redirect = values["success_action_redirect"] ?? values["redirect"], !redirect.isEmpty {
            let separator = redirect.contains("?") ? "&" : "?"
            let target =
                "\(redirect)\(separator)bucket=\(PercentEncoding.encode(bucket))&key=\(PercentEncoding.encode(verified.key))&etag=\(PercentEncoding.encode(etag))"
            var response = HTTPResponse(status: 303)
            response.headers.set("Location", target)
            response.headers.set("ETag", etag)
            return response
        }
        let status = Int(values["success_action_status"] ?? "") ?? 204
        var response: HTTPResponse
        switch status {
        case 200: response = HTTPResponse(status: 200)
        case 201:
            let tree = XMLTree(
                "PostResponse", children: [.leaf("Location", location), .leaf("Bucket", bucket), .leaf("Key", verified.key), .leaf("ETag", etag)])
            response = xml(201, tree.document(namespace: S3Namespace.uri))
        default: response = HTTPResponse(status: 204)
        }
        response.headers.set("ETag", etag)
        response.headers.set("Location", location)
        return response
    }
}
