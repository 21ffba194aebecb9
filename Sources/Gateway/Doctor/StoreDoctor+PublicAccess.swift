import HTTPWire
import S3Client
import S3Common

extension StoreDoctor {
    /// The name of the public-access finding.
    public static let publicAccessCheck = "public access blocked"

    /// Whether the bucket ignores public ACLs and refuses public policies (`IgnorePublicAcls`, `BlockPublicPolicy`,
    /// `RestrictPublicBuckets`), so that no upload, however it was sent, can be read by anyone without a signature.
    /// `BlockPublicAcls` is not needed (uploads sign their ACL) and may stay off: Ceph RGW 16 refuses every upload that
    /// carries an ACL header, even a private one, when it is on.
    public func publicAccess() -> Finding {
        let fix = "Run `dropgate doctor --fix` to turn on the bucket's public access block (PutPublicAccessBlock), or do it in the store's console."
        do {
            guard let block = try client.publicAccessBlock() else {
                return Finding(check: Self.publicAccessCheck, passed: false, detail: "the bucket has no public access block", fix: fix)
            }
            let passed = block.ignorePublicAcls && block.blockPublicPolicy && block.restrictPublicBuckets
            return Finding(
                check: Self.publicAccessCheck, passed: passed,
                detail: passed
                    ? "public ACLs are ignored and public policies refused" : "IgnorePublicAcls, BlockPublicPolicy or RestrictPublicBuckets is off",
                fix: passed ? nil : fix)
        } catch let error as S3ClientError where error.status == 501 {
            return Finding(
                check: Self.publicAccessCheck, passed: false, detail: "the store has no PutPublicAccessBlock (\(error.code))",
                fix: "Make sure the bucket has no public policy and its objects no public ACLs; uploads sign storage.uploadACL.")
        } catch {
            return Finding(check: Self.publicAccessCheck, passed: false, detail: "\(error)", fix: fix)
        }
    }

    /// Turns on the switches that keep the bucket private, leaving `BlockPublicAcls` as it was.
    public func fixPublicAccess() throws {
        var block = PublicAccessBlockConfiguration(all: true)
        block.blockPublicAcls = (try? client.publicAccessBlock())??.blockPublicAcls ?? false
        try client.putPublicAccessBlock(block)
    }

    static let uploadACLCheck = "uploads with a signed ACL accepted"

    /// Whether the store takes a presigned PUT that signs `storage.uploadACL`, as every plan does.
    func uploadACL() -> Finding? {
        guard settings.storage.uploadACL != .none else { return nil }
        let acl = settings.storage.uploadACL.rawValue
        let key = ".dropgate/doctor/acl-\(Base64URL.random(bytes: 8))"
        defer { try? client.deleteObject(key: key) }
        do {
            let headers: HTTPHeaders = [.init("Content-Type", "text/plain"), .init("Content-Length", "6"), .init("x-amz-acl", acl)]
            let presigner = S3Presigner(endpoint: client.configuration.endpoint, credentials: client.configuration.credentials)
            let url = try presigner.url(method: "PUT", bucket: settings.storage.bucket, key: key, expires: 300, headers: headers)
            var sent = headers
            sent.remove("Content-Length")  // the client frames the body itself
            let response = try web.request(method: "PUT", url: url, headers: sent, body: Array("doctor".utf8))
            let passed = (200..<300).contains(response.status)
            return Finding(
                check: Self.uploadACLCheck, passed: passed, detail: "a PUT signing x-amz-acl: \(acl) was answered \(response.status)",
                fix: passed
                    ? nil
                    : "Turn the bucket's BlockPublicAcls off (Ceph RGW 16 refuses every ACL header with it on; IgnorePublicAcls keeps uploads private), or set storage.uploadACL to none."
            )
        } catch {
            return Finding(check: Self.uploadACLCheck, passed: false, detail: "\(error)", fix: "Check that the store accepts presigned PUTs.")
        }
    }
}
