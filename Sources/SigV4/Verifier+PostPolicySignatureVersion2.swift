import Crypto
import Foundation

extension Verifier {
    /// Signature Version 2 of a browser POST form, as S3 and Ceph RGW take it: `Signature` is the base64 HMAC-SHA1 of
    /// the base64 `Policy` under the secret of `AWSAccessKeyId`, compared in constant time. The policy itself (its
    /// expiration and conditions) is checked by the caller, as for SigV4.
    func verifyVersion2Form(_ fields: [String: String]) throws(SigV4Error) -> (Credentials, policy: String) {
        guard let policy = fields["policy"], let signature = fields["signature"], let accessKeyID = fields["awsaccesskeyid"] else {
            throw SigV4Error(.malformedForm, "A POST upload signed with Signature Version 2 needs the fields AWSAccessKeyId, Policy and Signature.")
        }
        guard let credentials = lookup(accessKeyID) else {
            throw SigV4Error(.unknownAccessKey, "The AWS Access Key Id you provided does not exist in our records.")
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(policy.utf8), using: SymmetricKey(data: Array(credentials.secretAccessKey.utf8)))
        guard ConstantTime.equals(Array(Data(mac).base64EncodedString().utf8), Array(signature.utf8)) else {
            throw SigV4Error(
                .signatureMismatch, "The request signature we calculated does not match the signature you provided.", expectedStringToSign: policy)
        }
        return (credentials, policy)
    }
}
