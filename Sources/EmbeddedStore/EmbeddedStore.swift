import Foundation
import HTTPServer
import SigV4

/// Dropgate's S3-compatible object store on disk: verifies SigV4 as S3 does and answers in S3's XML.
///
/// Serve it with ``HTTPServer``: `HTTPServer(configuration: …, handler: try EmbeddedStore(configuration: …))`.
public struct EmbeddedStore: HTTPHandler {
    public let configuration: StoreConfiguration
    public let disk: DiskStore
    let multipart: MultipartStore
    let verifier: Verifier
    /// The clock of signatures, Last-Modified times and upload ages.
    let now: @Sendable () -> Date

    public init(configuration: StoreConfiguration, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.configuration = configuration
        self.now = now
        self.disk = try DiskStore(root: configuration.dataDirectory)
        self.multipart = try MultipartStore(root: disk.root + "/multipart")
        let keys = Dictionary(configuration.credentials.map { ($0.accessKeyID, $0) }, uniquingKeysWith: { first, _ in first })
        self.verifier = Verifier(region: configuration.region, maximumClockSkew: configuration.maximumClockSkew, now: now) { keys[$0] }
        for bucket in configuration.buckets { try disk.createBucket(bucket, at: now()) }
        multipart.removeStale(olderThan: configuration.staleMultipartAge, now: now())
    }

    /// Removes multipart uploads older than the configured age and carries out the buckets' lifecycle rules; call it
    /// periodically.
    public func removeStaleUploads() {
        multipart.removeStale(olderThan: configuration.staleMultipartAge, now: now())
        applyLifecycleRules()
    }

    /// Answers one S3 request; every failure is an S3 XML error, and CORS headers are added throughout.
    public func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let address = resolve(request)
        let requestID = S3Error.newRequestID()
        var response: HTTPResponse
        do {
            response = try route(request, body: body, address: address)
        } catch let error as HTTPBodyAfterContinue {
            throw error  // the body comes after 100 Continue: the server calls again
        } catch let error as S3Error {
            response = error.response(for: request, requestID: requestID)
        } catch let error as SigV4Error {
            response = S3Error(error).response(for: request, requestID: requestID)
        } catch let error as HTTPProtocolError {
            response = S3Error(error).response(for: request, requestID: requestID)
        } catch {
            response = S3Error.internalError("The store failed to answer: \(type(of: error)).").response(for: request, requestID: requestID)
        }
        response.headers.set("x-amz-request-id", requestID)
        response.headers.set("Server", "Dropgate")
        addCORSHeaders(to: &response, request: request, bucket: address.bucket)
        return response
    }

    /// Requests the server refused before they reached the store are answered in S3's XML too.
    public func protocolErrorResponse(_ error: HTTPProtocolError, request: HTTPRequest?) -> HTTPResponse {
        S3Error(error).response(for: request)
    }

    /// Signature parameters (SigV4 and SigV2) never appear in the access log.
    public var redactedQueryParameters: Set<String> {
        ["X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "Signature", "AWSAccessKeyId"]
    }

    /// The bucket and key a request names, from virtual-hosted or path-style addressing.
    struct Address {
        var bucket: String?
        var key: String?
        /// The path did not decode to UTF-8.
        var unparsable = false
        /// The bucket came from the host name (virtual-hosted addressing), not the path.
        var virtualHost = false
    }

    func resolve(_ request: HTTPRequest) -> Address {
        let host = (request.headers["host"] ?? "").split(separator: ":").first.map { $0.lowercased() } ?? ""
        // A path whose percent-decoding is not UTF-8 names nothing: route() refuses it as S3 does.
        guard let path = PercentDecoding.decode(request.path) else { return Address(bucket: nil, key: nil, unparsable: true) }
        for suffix in configuration.virtualHostSuffixes where host.hasSuffix("." + suffix) {
            let bucket = String(host.dropLast(suffix.count + 1))
            let key = String(path.dropFirst())
            return Address(bucket: bucket, key: key.isEmpty ? nil : key, virtualHost: true)
        }
        let trimmed = path.dropFirst()
        guard !trimmed.isEmpty else { return Address(bucket: nil, key: nil) }
        guard let slash = trimmed.firstIndex(of: "/") else { return Address(bucket: String(trimmed), key: nil) }
        let key = String(trimmed[trimmed.index(after: slash)...])
        return Address(bucket: String(trimmed[..<slash]), key: key.isEmpty ? nil : key)
    }

    /// Verifies the request's SigV4 signature (header or presigned).
    func authenticate(_ request: HTTPRequest, address: Address) throws -> VerifiedRequest {
        let signable = SignableRequest(method: request.method, path: request.path, query: request.queryItems, headers: request.headers)
        if configuration.allowsSignatureVersion2, Verifier.isSignatureVersion2(signable) {
            // SigV2's resource is always /bucket/key; with virtual-host addressing the bucket is not in the path. A
            // bucket's own resource is `/bucket/` as botocore signs it, or `/bucket` as other clients do: both are tried.
            let resource = address.virtualHost ? "/" + (address.bucket ?? "") + request.path : request.path
            let bucketLevel = address.key == nil && address.bucket != nil && !resource.hasSuffix("/")
            let candidates = bucketLevel ? [resource + "/", resource] : [resource]
            var refusal: (any Error)?
            for candidate in candidates {
                do {
                    return try verifier.verifySignatureVersion2(signable, resourcePath: candidate)
                } catch {
                    refusal = error
                    guard error.reason == .signatureMismatch else { break }
                }
            }
            throw refusal ?? S3Error(.accessDenied, "Access Denied", status: 403)
        }
        return try verifier.verify(signable)
    }

    func requireBucket(_ bucket: String) throws {
        guard disk.bucketExists(bucket) else { throw S3Error.noSuchBucket(bucket) }
    }

    static func validate(key: String) throws {
        guard key.utf8.count <= 1024 else {
            throw S3Error(.keyTooLongError, "Your key is too long: \(key.utf8.count) bytes; the limit is 1024.", status: 400)
        }
    }
}
