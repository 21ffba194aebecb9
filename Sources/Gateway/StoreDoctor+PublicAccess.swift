import S3Client
import S3Common

extension StoreDoctor {
    /// The name of the public-access finding.
    public static let publicAccessCheck = "public access blocked"

    /// Whether the bucket refuses public ACLs and policies (all four switches of its public access block), so that no
    /// upload, however it was sent, can be read by anyone without a signature.
    public func publicAccess() -> Finding {
        let fix = "Run `dropgate doctor --fix` to turn on the bucket's public access block (PutPublicAccessBlock), or do it in the store's console."
        do {
            guard let block = try client.publicAccessBlock() else {
                return Finding(check: Self.publicAccessCheck, passed: false, detail: "the bucket has no public access block", fix: fix)
            }
            return Finding(
                check: Self.publicAccessCheck, passed: block.blocksEverything,
                detail: block.blocksEverything ? "public ACLs and policies are refused and ignored" : "some of its four switches are off",
                fix: block.blocksEverything ? nil : fix)
        } catch let error as S3ClientError where error.status == 501 {
            return Finding(
                check: Self.publicAccessCheck, passed: false, detail: "the store has no PutPublicAccessBlock (\(error.code))",
                fix: "Make sure the bucket has no public policy and its objects no public ACLs; uploads sign storage.uploadACL.")
        } catch {
            return Finding(check: Self.publicAccessCheck, passed: false, detail: "\(error)", fix: fix)
        }
    }

    /// Turns every switch of the bucket's public access block on.
    public func fixPublicAccess() throws {
        try client.putPublicAccessBlock(PublicAccessBlockConfiguration(all: true))
    }
}
