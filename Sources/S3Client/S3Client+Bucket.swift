import Crypto
import Foundation
import S3Common
import SigV4

extension S3Client {
    /// GetBucketCors; an empty list when the bucket has none (`NoSuchCORSConfiguration`).
    public func bucketCors() throws -> [CORSRule] {
        let response: HTTPCallResponse
        do {
            response = try send(Request(method: "GET", key: nil, query: [.init("cors", "")]))
        } catch let error as S3ClientError where error.code == "NoSuchCORSConfiguration" {
            return []
        }
        return try Self.parseXML(response.body).children(named: "CORSRule").map { rule in
            let values = { (name: String) in rule.children(named: name).map(\.text) }
            return CORSRule(
                allowedOrigins: values("AllowedOrigin"), allowedMethods: values("AllowedMethod"), allowedHeaders: values("AllowedHeader"),
                exposeHeaders: values("ExposeHeader"), maxAgeSeconds: rule.text(of: "MaxAgeSeconds").flatMap { Int($0) })
        }
    }

    /// PutBucketCors, replacing the bucket's rules.
    public func putBucketCors(_ rules: [CORSRule]) throws {
        let root = XMLTree(
            "CORSConfiguration",
            children: rules.map { rule in
                var children = rule.allowedHeaders.map { XMLTree.leaf("AllowedHeader", $0) }
                children += rule.allowedMethods.map { XMLTree.leaf("AllowedMethod", $0) }
                children += rule.allowedOrigins.map { XMLTree.leaf("AllowedOrigin", $0) }
                children += rule.exposeHeaders.map { XMLTree.leaf("ExposeHeader", $0) }
                if let maxAge = rule.maxAgeSeconds { children.append(.leaf("MaxAgeSeconds", String(maxAge))) }
                return XMLTree("CORSRule", children: children)
            })
        let body = Array(root.document().utf8)
        let md5 = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
        _ = try send(
            Request(
                method: "PUT", key: nil, query: [.init("cors", "")],
                headers: [.init("Content-Type", "application/xml"), .init("Content-Length", String(body.count)), .init("Content-MD5", md5)],
                body: .bytes(body), payload: .sha256Hex(Self.sha256Hex(body))))
    }
}
