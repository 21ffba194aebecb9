import Foundation
import HTTPServer
import S3Common
import SigV4

extension EmbeddedStore {
    /// Dispatches to the S3 operation the method, address and query name.
    func route(_ request: HTTPRequest, body: HTTPRequestBody, address: Address) throws -> HTTPResponse {
        guard !address.unparsable else { throw S3Error(.invalidURI, "Couldn't parse the specified URI.", status: 400) }
        if request.method == "OPTIONS" { return try preflight(request, bucket: address.bucket) }
        if request.method == "POST", let bucket = address.bucket, address.key == nil,
            request.headers["content-type"]?.lowercased().hasPrefix("multipart/form-data") == true
        {
            return try postObject(request, body: body, bucket: bucket)
        }
        let verified = try authenticate(request, address: address)
        guard let bucket = address.bucket else {
            guard request.method == "GET" || request.method == "HEAD" else {
                throw S3Error(.methodNotAllowed, "The specified method is not allowed against this resource.", status: 405)
            }
            return try listBuckets(request)
        }
        guard let key = address.key else { return try bucketOperation(request, body: body, bucket: bucket, verified: verified) }
        try Self.validate(key: key)
        switch request.method {
        case "PUT":
            if request.hasQueryItem("acl") { throw Self.aclsDisabled }
            try Self.checkCannedACL(request)
            if request.hasQueryItem("partNumber") || request.hasQueryItem("uploadId") {
                return try uploadPart(request, body: body, bucket: bucket, key: key, verified: verified)
            }
            if request.headers.contains("x-amz-copy-source") {
                _ = try body.readAll(limit: 0)
                return try copyObject(request, bucket: bucket, key: key)
            }
            return try putObject(request, body: body, bucket: bucket, key: key, verified: verified)
        case "GET", "HEAD":
            if request.hasQueryItem("uploadId") { return try listParts(request, bucket: bucket, key: key) }
            if request.hasQueryItem("acl") { return try objectACL(bucket: bucket, key: key) }
            return try getObject(request, bucket: bucket, key: key)
        case "DELETE":
            if request.hasQueryItem("uploadId") { return try abortMultipartUpload(request, bucket: bucket, key: key) }
            try requireBucket(bucket)
            try disk.deleteObject(bucket: bucket, key: key)
            return HTTPResponse(status: 204)
        case "POST":
            if request.hasQueryItem("uploads") { return try createMultipartUpload(request, bucket: bucket, key: key) }
            if request.hasQueryItem("uploadId") {
                return try completeMultipartUpload(request, body: body, bucket: bucket, key: key, verified: verified)
            }
            throw S3Error.invalidArgument("POST on an object needs ?uploads or ?uploadId.")
        default:
            throw S3Error(.methodNotAllowed, "The specified method is not allowed against this resource.", status: 405)
        }
    }

    func bucketOperation(_ request: HTTPRequest, body: HTTPRequestBody, bucket: String, verified: VerifiedRequest) throws -> HTTPResponse {
        switch request.method {
        case "PUT":
            if request.hasQueryItem("cors") { return try putBucketCors(request, body: body, bucket: bucket) }
            if request.hasQueryItem("lifecycle") { return try putBucketLifecycle(request, body: body, bucket: bucket) }
            if request.hasQueryItem("publicAccessBlock") { return try putPublicAccessBlock(body: body, bucket: bucket) }
            _ = try body.readAll(limit: 64 * 1024)
            // Re-creating your own bucket keeps it as it is: 200 in us-east-1, as S3 answers there, 409 elsewhere.
            guard try disk.createBucket(bucket, at: now()) || configuration.region == "us-east-1" else {
                throw S3Error(
                    .bucketAlreadyOwnedByYou, "Your previous request to create the named bucket succeeded and you already own it.", status: 409,
                    details: [("BucketName", bucket)])
            }
            var response = HTTPResponse(status: 200)
            response.headers.set("Location", "/\(bucket)")
            return response
        case "HEAD":
            try requireBucket(bucket)
            var response = HTTPResponse(status: 200)
            response.headers.set("x-amz-bucket-region", configuration.region)
            return response
        case "DELETE":
            if request.hasQueryItem("cors") { throw S3Error.notImplemented("DeleteBucketCors") }
            if request.hasQueryItem("lifecycle") { return try deleteBucketLifecycle(bucket: bucket) }
            try disk.deleteBucket(bucket)
            return HTTPResponse(status: 204)
        case "GET":
            try requireBucket(bucket)
            if request.hasQueryItem("location") {
                let region = configuration.region == "us-east-1" ? "" : configuration.region
                return xml(200, XMLTree("LocationConstraint", text: region).document(namespace: S3Namespace.uri))
            }
            if request.hasQueryItem("cors") { return try getBucketCors(bucket: bucket) }
            if request.hasQueryItem("lifecycle") { return try getBucketLifecycle(bucket: bucket) }
            if request.hasQueryItem("uploads") { return try listMultipartUploads(request, bucket: bucket) }
            if request.hasQueryItem("versioning") { return xml(200, XMLTree("VersioningConfiguration").document(namespace: S3Namespace.uri)) }
            if request.hasQueryItem("publicAccessBlock") { return xml(200, PublicAccessBlockConfiguration(all: true).document()) }
            return try listObjects(request, bucket: bucket)
        case "POST":
            if request.hasQueryItem("delete") { return try deleteObjects(request, body: body, bucket: bucket) }
            throw S3Error.invalidArgument("POST on a bucket needs ?delete or a multipart/form-data upload.")
        default:
            throw S3Error(.methodNotAllowed, "The specified method is not allowed against this resource.", status: 405)
        }
    }

    /// ListBuckets, by name; `max-buckets` (1 to 10,000) pages them and `continuation-token` (the last name of the
    /// previous page, base64) carries on.
    func listBuckets(_ request: HTTPRequest) throws -> HTTPResponse {
        var maximum = 10_000
        if let text = request.queryValue("max-buckets") {
            guard let value = Int(text), (1...10_000).contains(value) else {
                throw S3Error.invalidArgument("max-buckets must be an integer from 1 to 10000.")
            }
            maximum = value
        }
        var after = ""
        if let token = request.queryValue("continuation-token") {
            guard let data = Data(base64Encoded: token), let name = String(data: data, encoding: .utf8) else {
                throw S3Error.invalidArgument("The continuation token provided is incorrect.")
            }
            after = name
        }
        let remaining = disk.listBuckets().filter { ObjectIndex.precedes(after, $0.name) }
        let page = remaining.prefix(maximum)
        let buckets = page.map { ListAllMyBucketsResult.Bucket(name: $0.name, creationDate: S3Time.iso8601($0.created)) }
        let next = remaining.count > maximum ? page.last.map { Data($0.name.utf8).base64EncodedString() } : nil
        return xml(200, ListAllMyBucketsResult(owner: Self.ownerID, buckets: buckets, continuationToken: next).document())
    }

    /// The one owner of everything in this store.
    static let ownerID = "dropgate"

    func xml(_ status: Int, _ document: String) -> HTTPResponse {
        HTTPResponse(status: HTTPStatus(status), contentType: "application/xml", body: document)
    }
}
