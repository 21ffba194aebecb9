import HTTPServer
import S3Common

extension EmbeddedStore {
    /// The store keeps no ACLs: every object is its owner's alone, as on an AWS bucket whose Object Ownership is
    /// "bucket owner enforced". So it answers as such a bucket does: GetObjectAcl shows the owner's full control, and
    /// a request that would grant anything else is refused.
    static let aclsDisabled = S3Error(.accessControlListNotSupported, "The bucket does not allow ACLs", status: 400)

    /// The canned ACLs that grant nobody but the owner.
    static let ownerOnlyACLs: Set<String> = ["private", "bucket-owner-full-control"]

    /// Refuses `x-amz-acl` other than an owner-only one, and any `x-amz-grant-*` header.
    static func checkCannedACL(_ request: HTTPRequest) throws {
        if let acl = request.headers["x-amz-acl"], !ownerOnlyACLs.contains(acl) { throw aclsDisabled }
        if request.headers.contains(where: { $0.name.lowercased().hasPrefix("x-amz-grant-") }) { throw aclsDisabled }
    }

    /// GetObjectAcl: the owner's full control, for an object that exists.
    func objectACL(bucket: String, key: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        guard try disk.metadata(bucket: bucket, key: key) != nil else { throw S3Error.noSuchKey(key) }
        let policy = AccessControlPolicy(ownerID: Self.ownerID, grants: [.init(id: Self.ownerID, permission: "FULL_CONTROL")])
        return xml(200, policy.document())
    }

    /// PutPublicAccessBlock: the store never serves an anonymous request, so every switch is on whatever is sent;
    /// a document turning one off is refused rather than silently kept on.
    func putPublicAccessBlock(body: HTTPRequestBody, bucket: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        let bytes = try body.readAll(limit: 64 * 1024)
        guard let configuration = try? PublicAccessBlockConfiguration(bytes: bytes) else {
            throw S3Error(.malformedXML, "The XML you provided was not well-formed or did not validate against our published schema.", status: 400)
        }
        guard configuration.blocksEverything else {
            throw S3Error.notImplemented("Public access (the embedded store serves only signed requests)")
        }
        return HTTPResponse(status: 200)
    }
}
