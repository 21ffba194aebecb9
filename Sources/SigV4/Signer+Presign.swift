/// A presigned request: the query string that carries the signature.
public struct PresignedRequest: Sendable, Hashable {
    /// The full query string, without `?`: the request's own parameters, the `X-Amz-*` ones, then `X-Amz-Signature`.
    public var query: String
    /// The 64 hex characters of `X-Amz-Signature`.
    public var signature: String
    /// When the URL stops working.
    public var expiresAt: AmzDate
}

/// The longest `X-Amz-Expires` SigV4 allows: seven days.
public let maximumPresignExpiry = 604_800

extension Signer {
    /// Presigns `request` (query-string auth) for `expires` seconds.
    ///
    /// Every header of `request` is signed (`host` at least); for S3 the payload is `UNSIGNED-PAYLOAD`.
    /// - Throws: ``SigV4Error`` when `expires` is outside 1...604800 or the `host` header is missing.
    public func presign(
        _ request: SignableRequest, expires: Int, payload: Payload = .unsigned, date: AmzDate? = nil, signsSessionToken: Bool = true
    ) throws(SigV4Error) -> PresignedRequest {
        let date = date ?? currentDate
        var query: [UInt8] = []
        let parts = try presignParts(request, expires: expires, payload: payload, date: date, signsSessionToken: signsSessionToken)
        appendQuery(parts, request: request, to: &query)
        return PresignedRequest(
            query: String(decoding: query, as: UTF8.self), signature: String(decoding: parts.signature, as: UTF8.self),
            expiresAt: date.adding(seconds: Int64(expires)))
    }

    /// Presigns `request` and returns the whole URL: `scheme://host/path?query`.
    ///
    /// This is the hot path of the gateway: a few microseconds, a handful of allocations.
    public func presignedURL(
        _ request: SignableRequest, scheme: String = "https", expires: Int, payload: Payload = .unsigned, date: AmzDate? = nil
    ) throws(SigV4Error) -> String {
        let date = date ?? currentDate
        let parts = try presignParts(request, expires: expires, payload: payload, date: date, signsSessionToken: true)
        var url: [UInt8] = []
        url.reserveCapacity(parts.canonical.bytes.count + 160)
        url.append(contentsOf: scheme.utf8)
        url.append(contentsOf: "://".utf8)
        url.append(contentsOf: (request.header("host") ?? "").utf8)
        url.append(contentsOf: request.path.utf8)
        url.append(0x3F)
        appendQuery(parts, request: request, to: &url)
        return String(decoding: url, as: UTF8.self)
    }

    /// The canonical request and string to sign of a presign, for tests and explanations.
    public func explainPresign(
        _ request: SignableRequest, expires: Int, payload: Payload = .unsigned, date: AmzDate, signsSessionToken: Bool = true
    ) throws(SigV4Error) -> (canonicalRequest: String, stringToSign: String, signature: String) {
        let parts = try presignParts(request, expires: expires, payload: payload, date: date, signsSessionToken: signsSessionToken)
        return (parts.canonical.text, String(decoding: parts.stringToSign, as: UTF8.self), String(decoding: parts.signature, as: UTF8.self))
    }

    struct PresignParts {
        var canonical: CanonicalRequest
        var stringToSign: [UInt8]
        var signature: [UInt8]
        /// The `X-Amz-*` parameters in URL order.
        var authParameters: [CanonicalQuery.Pair]
        /// Parameters sent but not signed (a session token added after signing).
        var unsignedParameters: [CanonicalQuery.Pair] = []
    }

    func presignParts(
        _ request: SignableRequest, expires: Int, payload: Payload, date: AmzDate, signsSessionToken: Bool
    ) throws(SigV4Error) -> PresignParts {
        guard (1...maximumPresignExpiry).contains(expires) else {
            throw .queryParameters("X-Amz-Expires must be between 1 and \(maximumPresignExpiry) seconds (7 days); got \(expires).")
        }
        guard request.header("host") != nil else {
            throw SigV4Error(.accessDenied, "A presigned request must sign the host header.", headersNotSigned: ["host"])
        }
        let scope = scopeBytes(date)
        let headers = CanonicalHeaders(request.headers)
        var credential: [UInt8] = []
        credential.reserveCapacity(credentials.accessKeyID.utf8.count + scope.count + 12)
        PercentEncoding.append(credentials.accessKeyID.utf8, to: &credential, keepingSlash: false)
        credential.append(contentsOf: "%2F".utf8)
        PercentEncoding.append(scope, to: &credential, keepingSlash: false)
        var signedHeaders: [UInt8] = []
        for (index, entry) in headers.entries.enumerated() {
            if index > 0 { signedHeaders.append(contentsOf: "%3B".utf8) }
            PercentEncoding.append(entry.name, to: &signedHeaders, keepingSlash: false)
        }
        var auth: [CanonicalQuery.Pair] = [
            .init(name: QueryName.algorithm, value: StringToSign.algorithm),
            .init(name: QueryName.credential, value: credential),
            .init(name: QueryName.date, value: date.timestampBytes),
            .init(name: QueryName.expires, value: Array(String(expires).utf8)),
            .init(name: QueryName.signedHeaders, value: signedHeaders),
        ]
        if let token = credentials.sessionToken, signsSessionToken {
            var value: [UInt8] = []
            PercentEncoding.append(token.utf8, to: &value, keepingSlash: false)
            auth.append(.init(name: QueryName.securityToken, value: value))
        }
        let canonical = CanonicalRequest(
            method: request.method, wirePath: request.path, query: request.query, extraQuery: auth, headers: headers,
            payload: payload.value, options: options)
        let stringToSign = canonical.stringToSign(date: date, scope: scope)
        let signature = signingKey(at: date).signatureBytes(of: stringToSign)
        var parts = PresignParts(canonical: canonical, stringToSign: stringToSign, signature: signature, authParameters: auth)
        if let token = credentials.sessionToken, !signsSessionToken {
            var value: [UInt8] = []
            PercentEncoding.append(token.utf8, to: &value, keepingSlash: false)
            parts.unsignedParameters.append(.init(name: QueryName.securityToken, value: value))
        }
        return parts
    }

    /// `own-params&X-Amz-Algorithm=…&X-Amz-SignedHeaders=…[&X-Amz-Security-Token=…]&X-Amz-Signature=…`, the order botocore uses.
    func appendQuery(_ parts: PresignParts, request: SignableRequest, to buffer: inout [UInt8]) {
        for item in request.query {
            buffer.append(contentsOf: item.name.utf8)
            buffer.append(0x3D)
            buffer.append(contentsOf: item.value.utf8)
            buffer.append(0x26)
        }
        for pair in parts.authParameters + parts.unsignedParameters {
            buffer.append(contentsOf: pair.name)
            buffer.append(0x3D)
            buffer.append(contentsOf: pair.value)
            buffer.append(0x26)
        }
        buffer.append(contentsOf: QueryName.signature)
        buffer.append(0x3D)
        buffer.append(contentsOf: parts.signature)
    }
}

/// The names of the presigned-URL query parameters.
enum QueryName {
    static let algorithm: [UInt8] = Array("X-Amz-Algorithm".utf8)
    static let credential: [UInt8] = Array("X-Amz-Credential".utf8)
    static let date: [UInt8] = Array("X-Amz-Date".utf8)
    static let expires: [UInt8] = Array("X-Amz-Expires".utf8)
    static let signedHeaders: [UInt8] = Array("X-Amz-SignedHeaders".utf8)
    static let securityToken: [UInt8] = Array("X-Amz-Security-Token".utf8)
    static let signature: [UInt8] = Array("X-Amz-Signature".utf8)
}
