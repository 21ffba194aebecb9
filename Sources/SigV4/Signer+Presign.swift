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
        url.append(contentsOf: parts.host.utf8)
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
        var host: String
        var canonical: CanonicalRequest
        var stringToSign: [UInt8]
        var signature: [UInt8]
        /// The signed `X-Amz-*` parameters, `&`-joined in canonical order.
        var authQuery: [UInt8]
        /// Where `X-Amz-Security-Token=…` sits in ``authQuery``, if it is signed there.
        var tokenRange: Range<Int>?
        /// A session token sent after signing, unsigned.
        var unsignedToken: [UInt8]?
    }

    func presignParts(
        _ request: SignableRequest, expires: Int, payload: Payload, date: AmzDate, signsSessionToken: Bool
    ) throws(SigV4Error) -> PresignParts {
        guard (1...maximumPresignExpiry).contains(expires) else {
            throw .queryParameters("X-Amz-Expires must be between 1 and \(maximumPresignExpiry) seconds (7 days); got \(expires).")
        }
        guard let host = request.header("host") else {
            throw SigV4Error(.headersNotSigned, "A presigned request must sign the host header.", headersNotSigned: ["host"])
        }
        let timestamp = date.timestampBytes
        let headers = CanonicalHeaders(request.headers)
        var tokenRange: Range<Int>?
        let authQuery = authParameters(
            timestamp: timestamp, expires: expires, headers: headers, token: signsSessionToken ? credentials.sessionToken : nil,
            tokenRange: &tokenRange)
        let capacity = 96 + request.path.utf8.count * 3 + authQuery.count + headers.entries.count * 64
        let canonical = CanonicalRequest(
            method: request.method, wirePath: request.path, headers: headers, payload: payload.value, options: options, capacity: capacity
        ) { buffer in
            Self.appendCanonicalQuery(request.query, authQuery: authQuery, to: &buffer)
        }
        let stringToSign = canonical.stringToSign(timestamp: timestamp, scope: scopeBytes(date, timestamp: timestamp))
        let signature = signingKey(at: date).signatureBytes(of: stringToSign)
        var unsignedToken: [UInt8]?
        if let token = credentials.sessionToken, !signsSessionToken {
            var value: [UInt8] = []
            PercentEncoding.append(string: token, to: &value, keepingSlash: false)
            unsignedToken = value
        }
        return PresignParts(
            host: host, canonical: canonical, stringToSign: stringToSign, signature: signature, authQuery: authQuery, tokenRange: tokenRange,
            unsignedToken: unsignedToken)
    }

    /// `X-Amz-Algorithm=…&X-Amz-Credential=…&X-Amz-Date=…&X-Amz-Expires=…[&X-Amz-Security-Token=…]&X-Amz-SignedHeaders=…`,
    /// in canonical (sorted) order, written straight into one buffer.
    func authParameters(timestamp: [UInt8], expires: Int, headers: CanonicalHeaders, token: String?, tokenRange: inout Range<Int>?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(200 + credentials.accessKeyID.utf8.count + (token?.utf8.count ?? 0) * 3)
        out.append(contentsOf: encodedCredentialPrefix)
        out.append(contentsOf: timestamp[0..<8])
        out.append(contentsOf: encodedScopeSuffix)
        out.append(contentsOf: timestamp)
        out.append(contentsOf: "&X-Amz-Expires=".utf8)
        Self.appendDecimal(expires, to: &out)
        if let token {
            let start = out.count
            out.append(contentsOf: "&X-Amz-Security-Token=".utf8)
            PercentEncoding.append(string: token, to: &out, keepingSlash: false)
            tokenRange = start..<out.count
        }
        out.append(contentsOf: "&X-Amz-SignedHeaders=".utf8)
        for index in headers.entries.indices {
            if index > 0 { out.append(contentsOf: "%3B".utf8) }
            PercentEncoding.append(headers.name(index), to: &out, keepingSlash: false)
        }
        return out
    }

    /// Merges the request's own parameters (canonicalized and sorted) around the `X-Amz-*` block.
    /// A parameter whose name sorts inside that block falls back to a full sort.
    static func appendCanonicalQuery(_ query: [SignableRequest.QueryItem], authQuery: [UInt8], to buffer: inout [UInt8]) {
        guard !query.isEmpty else {
            buffer.append(contentsOf: authQuery)
            return
        }
        var pairs = CanonicalQuery.pairs(query)
        let first = Array("X-Amz-Algorithm".utf8)
        let last = Array("X-Amz-SignedHeaders".utf8)
        let interleaves = pairs.contains { !$0.name.lexicographicallyPrecedes(first) && !last.lexicographicallyPrecedes($0.name) }
        if interleaves {
            for parameter in authQuery.split(separator: 0x26) {
                let equals = parameter.firstIndex(of: 0x3D) ?? parameter.endIndex
                pairs.append(.init(name: Array(parameter[..<equals]), value: Array(parameter[parameter.index(after: equals)...])))
            }
            CanonicalQuery.append(sorting: &pairs, to: &buffer)
            return
        }
        var before = pairs.filter { $0.name.lexicographicallyPrecedes(first) }
        var after = pairs.filter { last.lexicographicallyPrecedes($0.name) }
        CanonicalQuery.append(sorting: &before, to: &buffer)
        if !before.isEmpty { buffer.append(0x26) }
        buffer.append(contentsOf: authQuery)
        if !after.isEmpty { buffer.append(0x26) }
        CanonicalQuery.append(sorting: &after, to: &buffer)
    }

    /// `own-params&X-Amz-Algorithm=…&X-Amz-SignedHeaders=…[&X-Amz-Security-Token=…]&X-Amz-Signature=…`, the order botocore uses.
    func appendQuery(_ parts: PresignParts, request: SignableRequest, to buffer: inout [UInt8]) {
        for item in request.query {
            buffer.append(contentsOf: item.name.utf8)
            buffer.append(0x3D)
            buffer.append(contentsOf: item.value.utf8)
            buffer.append(0x26)
        }
        if let tokenRange = parts.tokenRange {
            buffer.append(contentsOf: parts.authQuery[..<tokenRange.lowerBound])
            buffer.append(contentsOf: parts.authQuery[tokenRange.upperBound...])
            buffer.append(contentsOf: parts.authQuery[tokenRange])
        } else {
            buffer.append(contentsOf: parts.authQuery)
        }
        if let token = parts.unsignedToken {
            buffer.append(contentsOf: "&X-Amz-Security-Token=".utf8)
            buffer.append(contentsOf: token)
        }
        buffer.append(contentsOf: "&X-Amz-Signature=".utf8)
        buffer.append(contentsOf: parts.signature)
    }

    static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        guard value > 0 else {
            buffer.append(0x30)
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0 {
                raw[count] = UInt8(0x30 + rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }
}
