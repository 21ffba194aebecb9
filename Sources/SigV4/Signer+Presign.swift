import Crypto

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
        let parts = try presignParts(request, expires: expires, payload: payload, date: date, signsSessionToken: signsSessionToken)
        let query = String(unsafeUninitializedCapacity: parts.queryLength(request)) { target in
            var query = ByteCursor(target)
            parts.writeQuery(request, to: &query)
            return query.count
        }
        return PresignedRequest(
            query: query,
            signature: parts.text(parts.signature), expiresAt: date.adding(seconds: Int64(expires)))
    }

    /// Presigns `request` and returns the whole URL: `scheme://host/path?query`.
    ///
    /// This is the hot path of the gateway: every part of the presign is written into one buffer, and the URL is
    /// the one string made.
    public func presignedURL(
        _ request: SignableRequest, scheme: String = "https", expires: Int, payload: Payload = .unsigned, date: AmzDate? = nil
    ) throws(SigV4Error) -> String {
        try presignedURL(request, host: nil, scheme: scheme, expires: expires, payload: payload, date: date)
    }

    /// Presigns `request` with `host` signed as its `host` header, and returns the whole URL.
    ///
    /// The same as adding `host` to `request.headers` first, without copying them; `request.headers` must not carry
    /// a `host` of its own.
    public func presignedURL(
        _ request: SignableRequest, host: String?, scheme: String = "https", expires: Int, payload: Payload = .unsigned,
        date: AmzDate? = nil
    ) throws(SigV4Error) -> String {
        try presignedURL(request, objectPath: nil, host: host, scheme: scheme, expires: expires, payload: payload, date: date)
    }

    /// Presigns a request for the S3 object at `objectPath`, with `host` signed as its `host` header, and returns the
    /// whole URL. `request.path` is ignored: the path is percent-encoded straight into the presign's buffer, and never
    /// becomes a string of its own.
    public func presignedURL(
        _ request: SignableRequest, objectPath: ObjectPath?, host: String?, scheme: String = "https", expires: Int,
        payload: Payload = .unsigned, date: AmzDate? = nil
    ) throws(SigV4Error) -> String {
        let date = date ?? currentDate
        let parts = try presignParts(
            request, objectPath: objectPath, host: host, expires: expires, payload: payload, date: date, signsSessionToken: true)
        // The URL is written straight into its string's storage, from the parts, instead of into the buffer first.
        let length = scheme.utf8.count + 3 + parts.host.utf8.count + (parts.path?.count ?? request.path.utf8.count) + 1 + parts.queryLength(request)
        return String(unsafeUninitializedCapacity: length) { target in
            var url = ByteCursor(target)
            url.write(scheme)
            url.write("://")
            url.write(parts.host)
            if let path = parts.path { url.write(parts.bytes.written, path) } else { url.write(request.path) }
            url.write("?")
            parts.writeQuery(request, to: &url)
            return url.count
        }
    }

    /// The canonical request and string to sign of a presign, for tests and explanations.
    public func explainPresign(
        _ request: SignableRequest, expires: Int, payload: Payload = .unsigned, date: AmzDate, signsSessionToken: Bool = true
    ) throws(SigV4Error) -> (canonicalRequest: String, stringToSign: String, signature: String) {
        let parts = try presignParts(request, expires: expires, payload: payload, date: date, signsSessionToken: signsSessionToken)
        return (parts.text(parts.canonical), parts.text(parts.stringToSign), parts.text(parts.signature))
    }

    /// One presign, laid out in one buffer: the signed `X-Amz-*` parameters, the canonical request, the string to
    /// sign and the signature, each a range of ``bytes``. Callers append the query or URL after them.
    struct PresignParts: ~Copyable {
        var host: String
        var bytes: PresignBytes
        /// The encoded path, when it was written from an ``ObjectPath``.
        var path: Range<Int>?
        /// The signed `X-Amz-*` parameters, `&`-joined in canonical order.
        var authQuery: Range<Int>
        /// Where `&X-Amz-Security-Token=…` sits inside ``authQuery``, if it is signed there.
        var tokenRange: Range<Int>?
        var canonical: Range<Int>
        var stringToSign: Range<Int>
        var signature: Range<Int>
        /// A session token sent after signing, unsigned.
        var unsignedToken: [UInt8]?

        func text(_ range: Range<Int>) -> String { bytes.text(range) }
    }

    func presignParts(
        _ request: SignableRequest, objectPath: ObjectPath? = nil, host addedHost: String? = nil, expires: Int, payload: Payload,
        date: AmzDate, signsSessionToken: Bool
    ) throws(SigV4Error) -> PresignParts {
        guard (1...maximumPresignExpiry).contains(expires) else {
            throw .queryParameters("X-Amz-Expires must be between 1 and \(maximumPresignExpiry) seconds (7 days); got \(expires).")
        }
        guard let host = addedHost ?? request.header("host") else {
            throw SigV4Error(.headersNotSigned, "A presigned request must sign the host header.", headersNotSigned: ["host"])
        }
        let timestamp = date.inlineTimestamp
        // The scratch's memory lives to the end of this scope, as a noncopyable value with a deinit does.
        let scratch = ScratchCanonicalHeaders(request.headers, adding: addedHost.map { .init("host", $0) })
        let headers = scratch.view
        let day = signingDay(at: date)
        let token = signsSessionToken ? credentials.sessionToken : nil
        let tokenBytes = token?.utf8.count ?? 0
        // Room for all of it, so that the buffer never grows: the `X-Amz-*` block is written twice (its own, and in the
        // canonical request), the path twice encoded. The URL is not written here (see `presignedURL`), which keeps a
        // presigned GET's buffer under a kilobyte, in malloc's per-thread cache.
        let queryBytes = request.query.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 }
        let pathBytes = objectPath.map { 2 + ($0.bucket?.utf8.count ?? 0) + $0.key.utf8.count } ?? request.path.utf8.count
        var bytes = PresignBytes(
            capacity: 320 + 6 * (credentials.accessKeyID.utf8.count + tokenBytes) + 6 * pathBytes + 6 * queryBytes + 3 * headers.byteCount
                + 2 * host.utf8.count + 2 * day.scope.count)
        // An object path is encoded once, at the start, where the canonical request and the URL copy it from.
        let path = objectPath.map { $0.append(to: &bytes) }
        let canonicalPath: CanonicalRequest.Path
        if let path {
            // Under S3's rules the encoded path is its own canonical URI; other rules check it as a wire path.
            canonicalPath =
                options.pathEncoding == .single && !options.normalizesPath
                ? .copy(path) : .wire(bytes.text(path), isCanonical: true)
        } else {
            canonicalPath = .wire(request.path, isCanonical: request.pathIsCanonical)
        }
        var tokenRange: Range<Int>?
        let authStart = bytes.count
        appendAuthParameters(timestamp: timestamp, expires: expires, headers: headers, token: token, tokenRange: &tokenRange, to: &bytes)
        let authQuery = authStart..<bytes.count
        let canonicalStart = bytes.count
        CanonicalRequest.append(
            method: request.method, path: canonicalPath, headers: headers, payload: payload.value, options: options, to: &bytes
        ) { buffer in
            Self.appendCanonicalQuery(request.query, authQuery: authQuery, in: &buffer)
        }
        let canonical = canonicalStart..<bytes.count
        var stringToSign = bytes.count..<bytes.count
        var signature = stringToSign
        let canonicalDigest = StringToSign.sha256(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.written[canonical])))
        StringToSign.append(timestamp: timestamp, scope: day.scope, canonicalDigest: canonicalDigest, to: &bytes)
        stringToSign = stringToSign.lowerBound..<bytes.count
        let mac = day.key.authenticationCode(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.written[stringToSign])))
        mac.withUnsafeBytes { Hex.append(raw: $0, to: &bytes) }
        signature = stringToSign.upperBound..<bytes.count
        var unsignedToken: [UInt8]?
        if let token = credentials.sessionToken, !signsSessionToken {
            var value: [UInt8] = []
            PercentEncoding.append(string: token, to: &value, keepingSlash: false)
            unsignedToken = value
        }
        return PresignParts(
            host: host, bytes: bytes, path: path, authQuery: authQuery, tokenRange: tokenRange, canonical: canonical, stringToSign: stringToSign,
            signature: signature, unsignedToken: unsignedToken)
    }

    /// Appends `X-Amz-Algorithm=…&X-Amz-Credential=…&X-Amz-Date=…&X-Amz-Expires=…[&X-Amz-Security-Token=…]&X-Amz-SignedHeaders=…`,
    /// in canonical (sorted) order.
    func appendAuthParameters(
        timestamp: InlineTimestamp, expires: Int, headers: CanonicalHeaders.View, token: String?, tokenRange: inout Range<Int>?,
        to out: inout PresignBytes
    ) {
        out.write(bytes: encodedCredentialPrefix)
        timestamp.append(to: &out, dateOnly: true)
        out.write(bytes: encodedScopeSuffix)
        timestamp.append(to: &out)
        out.write(literal: "&X-Amz-Expires=")
        out.write(decimal: Int64(expires))
        if let token {
            let start = out.count
            out.write(literal: "&X-Amz-Security-Token=")
            PercentEncoding.append(encoding: token, to: &out, keepingSlash: false)
            tokenRange = start..<out.count
        }
        out.write(literal: "&X-Amz-SignedHeaders=")
        headers.appendEncodedSignedHeaders(to: &out)
    }

    /// Merges the request's own parameters (canonicalized and sorted) around the `X-Amz-*` block, which is at
    /// `authQuery` in `buffer`. A parameter whose name sorts inside that block falls back to a full sort.
    static func appendCanonicalQuery(_ query: [SignableRequest.QueryItem], authQuery: Range<Int>, in buffer: inout PresignBytes) {
        guard !query.isEmpty else {
            buffer.writeCopy(of: authQuery)
            return
        }
        var pairs = CanonicalQuery.pairs(query)
        let first = Array("X-Amz-Algorithm".utf8)
        let last = Array("X-Amz-SignedHeaders".utf8)
        let interleaves = pairs.contains { !$0.name.lexicographicallyPrecedes(first) && !last.lexicographicallyPrecedes($0.name) }
        if interleaves {
            for parameter in Array(buffer.written[authQuery]).split(separator: 0x26) {
                let equals = parameter.firstIndex(of: 0x3D) ?? parameter.endIndex
                pairs.append(.init(name: Array(parameter[..<equals]), value: Array(parameter[parameter.index(after: equals)...])))
            }
            CanonicalQuery.append(sorting: &pairs, to: &buffer)
            return
        }
        var before = pairs.filter { $0.name.lexicographicallyPrecedes(first) }
        var after = pairs.filter { last.lexicographicallyPrecedes($0.name) }
        CanonicalQuery.append(sorting: &before, to: &buffer)
        if !before.isEmpty { buffer.write(0x26) }
        buffer.writeCopy(of: authQuery)
        if !after.isEmpty { buffer.write(0x26) }
        CanonicalQuery.append(sorting: &after, to: &buffer)
    }

}

extension Signer.PresignParts {
    /// How many bytes ``writeQuery(_:to:)`` writes.
    func queryLength(_ request: SignableRequest) -> Int {
        let own = request.query.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 }
        return own + authQuery.count + (unsignedToken.map { 22 + $0.count } ?? 0) + 17 + signature.count
    }

    /// Writes `own-params&X-Amz-Algorithm=…&X-Amz-SignedHeaders=…[&X-Amz-Security-Token=…]&X-Amz-Signature=…`, the order
    /// botocore uses, into room sized by ``queryLength(_:)``.
    func writeQuery(_ request: SignableRequest, to query: inout ByteCursor) {
        for item in request.query {
            query.write(item.name)
            query.write("=")
            query.write(item.value)
            query.write("&")
        }
        do {
            let buffer = bytes.written
            if let tokenRange {
                query.write(buffer, authQuery.lowerBound..<tokenRange.lowerBound)
                query.write(buffer, tokenRange.upperBound..<authQuery.upperBound)
                query.write(buffer, tokenRange)
            } else {
                query.write(buffer, authQuery)
            }
            if let unsignedToken {
                query.write("&X-Amz-Security-Token=")
                unsignedToken.withUnsafeBufferPointer { query.write($0, $0.indices) }
            }
            query.write("&X-Amz-Signature=")
            query.write(buffer, signature)
        }
    }
}
