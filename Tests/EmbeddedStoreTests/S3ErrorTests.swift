import EmbeddedStore
import SigV4
import Testing

/// The store answers SigV4 refusals in S3's codes and statuses.
struct SigV4ErrorMappingTests {
    @Test(arguments: [
        (SigV4Error.Reason.signatureMismatch, "SignatureDoesNotMatch", 403), (.expired, "AccessDenied", 403),
        (.clockSkew, "RequestTimeTooSkewed", 403),
        (.unknownAccessKey, "InvalidAccessKeyId", 403), (.malformedPresign, "AuthorizationQueryParametersError", 400),
        (.malformedHeader, "AuthorizationHeaderMalformed", 400), (.signatureVersion2, "InvalidRequest", 400),
        (.malformedForm, "InvalidArgument", 400),
        (.invalidPolicy, "InvalidPolicyDocument", 400), (.policyViolation, "AccessDenied", 403), (.headersNotSigned, "AccessDenied", 403),
    ])
    func reasonsBecomeS3Codes(reason: SigV4Error.Reason, code: String, status: Int) {
        let error = S3Error(SigV4Error(reason, "why"))
        #expect(error.code.rawValue == code)  // the code S3 writes
        #expect(error.status == status)
        #expect(error.message == "why")
    }
}
