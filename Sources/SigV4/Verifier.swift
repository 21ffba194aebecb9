import Foundation

/// Verifies SigV4 signatures on the server side, as S3 does: header auth, presigned URLs, POST
/// policies (see ``verifyPostForm(_:bucket:allowsSignatureVersion2:)``) and, through ``VerifiedRequest/chunkChain``, aws-chunked bodies.
///
/// ```swift
/// let verifier = Verifier(region: "us-east-1") { accessKeyID in keys[accessKeyID] }
/// let identity = try verifier.verify(request)   // throws SigV4Error with S3's code and status
/// ```
public struct Verifier: Sendable {
    /// Finds the credentials of an access key id; `nil` when the key is unknown.
    public typealias CredentialLookup = @Sendable (String) -> Credentials?

    /// The region the scope must name; `nil` accepts any.
    public var region: String?
    public var service: String
    public var options: SigningOptions
    /// How far header-auth dates may be from the clock, in seconds (S3: 15 minutes).
    public var maximumClockSkew: Int64
    public var now: @Sendable () -> Date
    let lookup: CredentialLookup
    let keys: SigningKeyCache

    public init(
        region: String?, service: String = "s3", options: SigningOptions = .s3, maximumClockSkew: Int64 = 900,
        keyCache: SigningKeyCache = SigningKeyCache(), now: @escaping @Sendable () -> Date = { Date() },
        lookup: @escaping CredentialLookup
    ) {
        self.region = region
        self.service = service
        self.options = options
        self.maximumClockSkew = maximumClockSkew
        self.keys = keyCache
        self.now = now
        self.lookup = lookup
    }

    /// Verifies `request`, signed in its `Authorization` header or its query string.
    ///
    /// - Returns: who signed it, and what the signature covers.
    /// - Throws: ``SigV4Error``; an unsigned request gets `AccessDenied`.
    public func verify(_ request: SignableRequest) throws(SigV4Error) -> VerifiedRequest {
        if request.query.contains(where: { $0.name == "X-Amz-Algorithm" || $0.name == "X-Amz-Signature" || $0.name == "X-Amz-Credential" }) {
            return try verifyPresigned(request)
        }
        if request.query.contains(where: { $0.name == "AWSAccessKeyId" || $0.name == "Signature" }) {
            throw SigV4Error(
                .signatureVersion2,
                "The authorization mechanism you have provided is not supported (Signature Version 2). Please use AWS4-HMAC-SHA256.")
        }
        guard let authorization = request.header("authorization") else {
            throw SigV4Error(.anonymous, "Anonymous access is not allowed: sign the request with SigV4 (Authorization header or presigned URL).")
        }
        return try verifyHeaderAuth(request, authorization: authorization)
    }

    /// The parsed `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
    struct AuthorizationHeader {
        var credential: String
        var signedHeaders: [String]
        var signature: String

        init(_ value: String) throws(SigV4Error) {
            let prefix = "AWS4-HMAC-SHA256 "
            guard value.hasPrefix(prefix) else {
                throw SigV4Error(
                    .unsupportedScheme, "Only AWS4-HMAC-SHA256 signatures are supported; the Authorization header uses another scheme.")
            }
            var fields: [Substring: Substring] = [:]
            for part in value.dropFirst(prefix.count).split(separator: ",") {
                var trimmed = part.drop { $0 == " " || $0 == "\t" }
                while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
                guard let equals = trimmed.firstIndex(of: "=") else {
                    throw .headerMalformed("The authorization header is malformed; '\(trimmed)' is not of the form Name=Value.")
                }
                fields[trimmed[..<equals]] = trimmed[trimmed.index(after: equals)...]
            }
            guard let credential = fields["Credential"], let signedHeaders = fields["SignedHeaders"], let signature = fields["Signature"]
            else {
                throw .headerMalformed("The authorization header is malformed; it needs Credential, SignedHeaders and Signature.")
            }
            self.credential = String(credential)
            self.signedHeaders = signedHeaders.split(separator: ";").map { String($0) }
            self.signature = String(signature)
        }
    }

    func verifyHeaderAuth(_ request: SignableRequest, authorization: String) throws(SigV4Error) -> VerifiedRequest {
        let header = try AuthorizationHeader(authorization)
        let (credentials, scope) = try resolve(credential: header.credential, malformed: SigV4Error.headerMalformed)
        // The request time is X-Amz-Date when sent (it wins over Date), else a signed Date header, as S3 takes them.
        let date: AmzDate
        if let dateText = request.header("x-amz-date") {
            guard let parsed = AmzDate(timestamp: dateText) else {
                throw SigV4Error(.badDate, "The x-amz-date header '\(dateText)' is not of the form yyyyMMddTHHmmssZ.")
            }
            date = parsed
        } else if let dateText = request.header("date"), header.signedHeaders.contains("date") {
            guard let parsed = AmzDate(httpDate: dateText) else {
                throw SigV4Error(.badDate, "The Date header '\(dateText)' is not an IMF-fixdate such as Sun, 06 Nov 1994 08:49:37 GMT.")
            }
            date = parsed
        } else {
            throw SigV4Error(.badDate, "AWS authentication requires a valid x-amz-date header, or a signed Date header.")
        }
        guard date.dateStamp == scope.dateStamp else {
            throw .headerMalformed("Invalid credential date \(scope.dateStamp): it is not the date of x-amz-date (\(date.dateStamp)).")
        }
        let clock = AmzDate(now())
        guard abs(clock.secondsSince1970 - date.secondsSince1970) <= maximumClockSkew else {
            throw SigV4Error(
                .clockSkew,
                "The difference between the request time (\(date.timestamp)) and the server time (\(clock.timestamp)) is over \(maximumClockSkew) seconds."
            )
        }
        try requireSigned(header.signedHeaders, in: request, presigned: false)
        guard let payloadText = request.header("x-amz-content-sha256") else {
            throw SigV4Error(.missingPayloadHash, "Missing required header for this request: x-amz-content-sha256.")
        }
        guard let payload = Payload(headerValue: payloadText) else {
            throw SigV4Error(
                .malformedPayloadHash,
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* value or a lowercase hex SHA-256; got '\(payloadText)'.")
        }
        try checkSessionToken(request.header("x-amz-security-token"), credentials)
        var missing: [String] = []
        let headers = CanonicalHeaders(request.headers, signedNames: header.signedHeaders, missing: &missing)
        let canonical = CanonicalRequest(
            method: request.method, wirePath: request.path, query: request.query, headers: headers, payload: payload.value, options: options)
        let key = try check(signature: header.signature, canonical: canonical, date: date, scope: scope, credentials: credentials, missing: missing)
        return VerifiedRequest(
            accessKeyID: credentials.accessKeyID, scope: scope, date: date, signature: header.signature, signedHeaders: header.signedHeaders,
            payload: payload, expiresAt: nil, signingKey: key)
    }

    /// Looks up the key of `credential` and checks its scope.
    func resolve(credential: String, malformed: (String) -> SigV4Error) throws(SigV4Error) -> (Credentials, CredentialScope) {
        guard let (accessKeyID, scope) = CredentialScope.parse(credential: credential) else {
            throw malformed("The credential '\(credential)' is malformed; expected <key>/<yyyyMMdd>/<region>/<service>/aws4_request.")
        }
        guard let credentials = lookup(accessKeyID) else {
            throw SigV4Error(.unknownAccessKey, "The AWS Access Key Id you provided (\(accessKeyID)) does not exist in our records.")
        }
        if let region, scope.region != region {
            throw malformed("The credential is scoped to region '\(scope.region)', which is wrong; expecting '\(region)'.")
        }
        guard scope.service == service else {
            throw malformed("The credential is scoped to service '\(scope.service)', which is wrong; expecting '\(service)'.")
        }
        return (credentials, scope)
    }

    /// `host` must be signed, and so must every `x-amz-*` header that is sent, as AWS S3 requires: an unsigned one
    /// would act (a copy source, an ACL, metadata) on a signature that never covered it. A presigned request may carry
    /// `x-amz-content-sha256` unsigned, as AWS allows: its payload promise comes from the query, never that header.
    func requireSigned(_ signedHeaders: [String], in request: SignableRequest, presigned: Bool) throws(SigV4Error) {
        var unsigned: [String] = signedHeaders.contains("host") ? [] : ["host"]
        for header in request.headers {
            let name = header.name.lowercased()
            if name.hasPrefix("x-amz-"), !signedHeaders.contains(name), !unsigned.contains(name), !(presigned && name == "x-amz-content-sha256") {
                unsigned.append(name)
            }
        }
        guard unsigned.isEmpty else {
            throw SigV4Error(
                .headersNotSigned, "There were headers present in the request which were not signed: \(unsigned.joined(separator: ", ")).",
                headersNotSigned: unsigned)
        }
    }

    func checkSessionToken(_ sent: String?, _ credentials: Credentials) throws(SigV4Error) {
        guard let expected = credentials.sessionToken else { return }
        guard let sent, ConstantTime.equals(sent.utf8, expected.utf8) else {
            throw SigV4Error(.invalidSecurityToken, "The security token included in the request is missing or invalid.")
        }
    }

    /// Computes the expected signature and compares it with `signature` in constant time.
    func check(
        signature: String, canonical: CanonicalRequest, date: AmzDate, scope: CredentialScope, credentials: Credentials, missing: [String]
    ) throws(SigV4Error) -> SigningKey {
        let key = keys.key(secretAccessKey: credentials.secretAccessKey, dateStamp: scope.dateStamp, region: scope.region, service: scope.service)
        let stringToSign = canonical.stringToSign(date: date, scope: Array(scope.string.utf8))
        let expected = key.signatureBytes(of: stringToSign)
        guard ConstantTime.equals(expected, signature.utf8) else {
            var message = "The request signature we calculated does not match the signature you provided. Check your key and signing method."
            if !missing.isEmpty { message += " Signed headers missing from the request: \(missing.joined(separator: ", "))." }
            throw SigV4Error(
                .signatureMismatch, message, expectedCanonicalRequest: canonical.text,
                expectedStringToSign: String(decoding: stringToSign, as: UTF8.self))
        }
        return key
    }
}

/// What a verified signature establishes.
public struct VerifiedRequest: Sendable {
    public var accessKeyID: String
    public var scope: CredentialScope
    public var date: AmzDate
    /// The request's signature (the seed of an aws-chunked body).
    public var signature: String
    public var signedHeaders: [String]
    /// What `x-amz-content-sha256` (or the presigned form) promised about the body.
    public var payload: Payload
    /// When a presigned URL expires; `nil` for header auth.
    public var expiresAt: AmzDate?
    let signingKey: SigningKey

    /// Whether header `name` (lowercase) was covered by the signature.
    public func signs(_ name: String) -> Bool { signedHeaders.contains(name) }

    /// The chain that verifies the chunks of a signed aws-chunked body.
    public var chunkChain: ChunkSignatureChain {
        ChunkSignatureChain(key: signingKey, date: date, scope: scope, seedSignature: signature)
    }
}
