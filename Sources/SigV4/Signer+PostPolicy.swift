/// The fields of a browser POST upload form, in the order a form should send them (the file goes last).
public struct PostForm: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public var fields: [Field]
    /// The policy that was signed.
    public var policy: PostPolicy

    /// The value of the field `name`.
    public subscript(name: String) -> String? { fields.first { $0.name == name }?.value }
}

extension Signer {
    /// Signs a base64 policy: `hex(HMAC(signingKey(date), policyBase64))`.
    public func signPolicy(base64 policy: String, date: AmzDate) -> String {
        signingKey(at: date).signature(of: Array(policy.utf8))
    }

    /// Builds and signs a POST-policy form.
    ///
    /// The policy lists the bucket, the key (exact, or a prefix when `key` ends with `/` and `keyIsPrefix`),
    /// every given field, and the `X-Amz-*` fields. `contentLength` becomes `content-length-range`.
    ///
    /// - Parameters:
    ///   - fields: extra fields such as `Content-Type`, `success_action_status` or `x-amz-meta-*`, each
    ///     required to match exactly.
    ///   - expires: seconds from `date`, at most seven days.
    public func postForm(
        bucket: String, key: String, keyIsPrefix: Bool = false, contentLength: ClosedRange<Int64>? = nil,
        fields: [(name: String, value: String)] = [], expires: Int, date: AmzDate? = nil
    ) throws(SigV4Error) -> PostForm {
        guard (1...maximumPresignExpiry).contains(expires) else {
            throw .queryParameters("A POST policy must expire within 1 to \(maximumPresignExpiry) seconds; got \(expires).")
        }
        let date = date ?? currentDate
        let credential = "\(credentials.accessKeyID)/\(scope(at: date).string)"
        var conditions: [PostPolicy.Condition] = [.equals("bucket", bucket), keyIsPrefix ? .startsWith("key", key) : .equals("key", key)]
        var formFields: [PostForm.Field] = [.init(name: "key", value: key)]
        for field in fields {
            conditions.append(.equals(field.name, field.value))
            formFields.append(.init(name: field.name, value: field.value))
        }
        if let range = contentLength { conditions.append(.contentLengthRange(range.lowerBound, range.upperBound)) }
        var amz: [(String, String)] = [("x-amz-algorithm", "AWS4-HMAC-SHA256"), ("x-amz-credential", credential), ("x-amz-date", date.timestamp)]
        if let token = credentials.sessionToken { amz.append(("x-amz-security-token", token)) }
        for (name, value) in amz {
            conditions.append(.equals(name, value))
            formFields.append(.init(name: name, value: value))
        }
        let policy = PostPolicy(expiration: date.adding(seconds: Int64(expires)), conditions: conditions)
        let base64 = policy.base64
        formFields.append(.init(name: "policy", value: base64))
        formFields.append(.init(name: "x-amz-signature", value: signPolicy(base64: base64, date: date)))
        return PostForm(fields: formFields, policy: policy)
    }
}
