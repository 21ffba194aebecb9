import Foundation

/// A POST-policy form whose signature, expiry and conditions were checked.
public struct VerifiedPostForm: Sendable {
    public var accessKeyID: String
    /// The object key from the form (after the caller substituted `${filename}`).
    public var key: String
    /// The file size the policy allows; the store enforces it while the file streams in.
    public var contentLengthRange: ClosedRange<Int64>?
    public var policy: PostPolicy
    /// The form's fields, names lowercased.
    public var fields: [String: String]
}

extension Verifier {
    /// Verifies a browser POST upload: the policy's signature, its expiration, and each of its conditions
    /// against the form `fields` (names case-insensitive). The file's size is checked by the caller against
    /// ``VerifiedPostForm/contentLengthRange`` as it streams.
    ///
    /// A form signs its policy with SigV4 (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Signature`) or,
    /// when `allowsSignatureVersion2` is set, with Signature Version 2 (`AWSAccessKeyId` and `Signature`).
    public func verifyPostForm(
        _ formFields: [(name: String, value: String)], bucket: String, allowsSignatureVersion2: Bool = false
    ) throws(SigV4Error) -> VerifiedPostForm {
        var fields: [String: String] = [:]
        for field in formFields where fields[field.name.lowercased()] == nil { fields[field.name.lowercased()] = field.value }
        let signedWithVersion2 = fields["x-amz-algorithm"] == nil && (fields["awsaccesskeyid"] != nil || fields["signature"] != nil)
        let credentials: Credentials
        let policyBase64: String
        if signedWithVersion2 {
            guard allowsSignatureVersion2 else {
                throw SigV4Error(.signatureVersion2, "This store takes Signature Version 4 only; sign the form with AWS4-HMAC-SHA256.")
            }
            (credentials, policyBase64) = try verifyVersion2Form(fields)
        } else {
            (credentials, policyBase64) = try verifyVersion4Form(fields)
        }
        guard let key = fields["key"] else {
            throw SigV4Error(.malformedForm, "Bucket POST must contain a field named 'key'.")
        }
        try checkSessionToken(fields["x-amz-security-token"], credentials)
        let policy = try PostPolicy(base64: policyBase64)
        guard AmzDate(now()) <= policy.expiration else {
            throw SigV4Error(.policyExpired, "Invalid according to Policy: Policy expired.")
        }
        try policy.check(fields: fields, bucket: bucket, signatureFields: signedWithVersion2 ? ["awsaccesskeyid"] : ["x-amz-signature"])
        return VerifiedPostForm(
            accessKeyID: credentials.accessKeyID, key: key, contentLengthRange: policy.contentLengthRange, policy: policy, fields: fields)
    }

    /// SigV4: `X-Amz-Signature` is the hex HMAC-SHA256 of the base64 policy under the scope's signing key.
    private func verifyVersion4Form(_ fields: [String: String]) throws(SigV4Error) -> (Credentials, policy: String) {
        guard let policyBase64 = fields["policy"], let signature = fields["x-amz-signature"], let credential = fields["x-amz-credential"],
            let algorithm = fields["x-amz-algorithm"], let dateText = fields["x-amz-date"]
        else {
            throw SigV4Error(
                .malformedForm, "A POST upload needs the fields Policy, X-Amz-Signature, X-Amz-Credential, X-Amz-Algorithm and X-Amz-Date.")
        }
        guard algorithm == "AWS4-HMAC-SHA256" else {
            throw SigV4Error(.malformedForm, "X-Amz-Algorithm must be AWS4-HMAC-SHA256; got '\(algorithm)'.")
        }
        let invalid = { (message: String) in SigV4Error(.malformedForm, message) }
        let (credentials, scope) = try resolve(credential: credential, malformed: invalid)
        guard let date = AmzDate(timestamp: dateText), date.dateStamp == scope.dateStamp else {
            throw invalid("X-Amz-Date '\(dateText)' is malformed or not the date of the credential scope (\(scope.dateStamp)).")
        }
        let signingKey = keys.key(
            secretAccessKey: credentials.secretAccessKey, dateStamp: scope.dateStamp, region: scope.region, service: scope.service)
        guard ConstantTime.equals(signingKey.signatureBytes(of: Array(policyBase64.utf8)), signature.utf8) else {
            throw SigV4Error(
                .signatureMismatch, "The request signature we calculated does not match the signature you provided.",
                expectedStringToSign: policyBase64)
        }
        return (credentials, policyBase64)
    }
}

extension PostPolicy {
    /// Decodes and parses a base64 policy document.
    public init(base64: String) throws(SigV4Error) {
        guard let data = Data(base64Encoded: base64) else { throw SigV4Error(.invalidPolicy, "Invalid Policy: the policy is not base64-encoded.") }
        do {
            self = try JSONDecoder().decode(PostPolicy.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw SigV4Error(.invalidPolicy, "Invalid Policy: '\(Self.path(context.codingPath + [key]))' is missing.")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw SigV4Error(.invalidPolicy, "Invalid Policy: '\(Self.path(context.codingPath))' is of the wrong type.")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw SigV4Error(.invalidPolicy, "Invalid Policy: '\(Self.path(context.codingPath))': \(context.debugDescription).")
        } catch {
            throw SigV4Error(.invalidPolicy, "Invalid Policy: the policy is not JSON.")
        }
    }

    /// `conditions[2]` for a coding path.
    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
    }

    /// Checks each condition against the form, and that every form field is covered by one.
    /// `signatureFields` are the fields of the form's signature that a policy never names (`x-amz-signature`, or
    /// `AWSAccessKeyId` for Signature Version 2); `policy`, `signature`, `file` and `x-ignore-*` never need a condition.
    func check(fields: [String: String], bucket: String, signatureFields: Set<String>) throws(SigV4Error) {
        func failed(_ condition: String) -> SigV4Error {
            SigV4Error(.policyViolation, "Invalid according to Policy: Policy Condition failed: \(condition)")
        }
        var covered = signatureFields.union(["policy", "signature", "file"])
        for condition in conditions {
            switch condition {
            case .equals(let name, let expected):
                let field = name.lowercased()
                covered.insert(field)
                let actual = field == "bucket" ? bucket : fields[field]
                guard actual == expected else { throw failed("[\"eq\", \"$\(name)\", \"\(expected)\"]") }
            case .startsWith(let name, let prefix):
                let field = name.lowercased()
                covered.insert(field)
                let actual = field == "bucket" ? bucket : fields[field]
                guard (actual ?? "").hasPrefix(prefix) else { throw failed("[\"starts-with\", \"$\(name)\", \"\(prefix)\"]") }
            case .contentLengthRange:
                continue
            }
        }
        let extra = fields.keys.filter { !covered.contains($0) && !$0.hasPrefix("x-ignore-") }.sorted()
        guard extra.isEmpty else {
            throw SigV4Error(.policyViolation, "Invalid according to Policy: Extra input fields: \(extra.joined(separator: ", "))")
        }
    }
}
