import Crypto
import CurlHTTP
import Foundation
import S3Common
import SigV4

extension S3Client {
    /// GetBucketCors; an empty list when the bucket has none (`NoSuchCORSConfiguration`).
    public func bucketCors() throws -> [CORSRule] {
        let response: HTTPCallResponse
        do {
            response = try send(Request(method: "GET", key: nil, query: [.init("cors", "")]))
        } catch let error as S3ClientError where error.s3Code == .noSuchCORSConfiguration {
            return []
        }
        return try Self.read(CORSConfiguration.self, response).rules
    }

    /// PutBucketCors, replacing the bucket's rules.
    public func putBucketCors(_ rules: [CORSRule]) throws {
        try putBucketConfiguration("cors", CORSConfiguration(rules: rules))
    }

    /// PUTs a bucket sub-resource document (`?cors`, `?lifecycle`) with the Content-MD5 S3 requires for them.
    func putBucketConfiguration(_ subresource: String, _ document: some XMLBody) throws {
        let body = Array(document.document().utf8)
        let md5 = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
        _ = try send(
            Request(
                method: "PUT", key: nil, query: [.init(subresource, "")],
                headers: [.init("Content-Type", "application/xml"), .init("Content-Length", String(body.count)), .init("Content-MD5", md5)],
                body: .bytes(body), payload: .sha256Hex(Self.sha256Hex(body))))
    }
}

extension S3Client {
    /// GetBucketLifecycleConfiguration; no rules when the bucket has none (`NoSuchLifecycleConfiguration`).
    public func bucketLifecycle() throws -> LifecycleConfiguration {
        let response: HTTPCallResponse
        do {
            response = try send(Request(method: "GET", key: nil, query: [.init("lifecycle", "")]))
        } catch let error as S3ClientError where error.s3Code == .noSuchLifecycleConfiguration {
            return LifecycleConfiguration(rules: [])
        }
        return try Self.read(LifecycleConfiguration.self, response)
    }

    /// PutBucketLifecycleConfiguration, replacing the bucket's rules (S3 requires Content-MD5 here).
    public func putBucketLifecycle(_ configuration: LifecycleConfiguration) throws {
        try putBucketConfiguration("lifecycle", configuration)
    }
}

extension S3Client {
    /// GetPublicAccessBlock: nil when the bucket has none (`NoSuchPublicAccessBlockConfiguration`). Ceph RGW 16 names
    /// the root `BlockPublicAccessBlockConfiguration`, which is read the same.
    public func publicAccessBlock() throws -> PublicAccessBlockConfiguration? {
        let response: HTTPCallResponse
        do {
            response = try send(Request(method: "GET", key: nil, query: [.init("publicAccessBlock", "")]))
        } catch let error as S3ClientError where error.s3Code == .noSuchPublicAccessBlockConfiguration {
            return nil
        }
        guard let tree = XMLTree.parse(response.body),
            tree.name == PublicAccessBlockConfiguration.rootName || tree.name == "BlockPublicAccessBlockConfiguration"
        else {
            throw S3ClientError(
                status: response.status, code: "MalformedResponse", message: "The store's answer is not a PublicAccessBlockConfiguration.")
        }
        return try PublicAccessBlockConfiguration(xml: tree)
    }

    /// PutPublicAccessBlock.
    public func putPublicAccessBlock(_ configuration: PublicAccessBlockConfiguration) throws {
        try putBucketConfiguration("publicAccessBlock", configuration)
    }
}
