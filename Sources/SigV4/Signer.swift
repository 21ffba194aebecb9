import Foundation

/// Signs requests with AWS Signature Version 4, for one set of credentials, region and service.
///
/// ```swift
/// let signer = Signer(credentials: credentials, region: "us-east-1")   // S3 rules by default
/// let signed = signer.sign(request, payload: .sha256Hex(bodyHash))    // Authorization header
/// let url = try signer.presignedURL(request, scheme: "https", expires: 3600)
/// ```
public struct Signer: Sendable {
    public let credentials: Credentials
    public let region: String
    public let service: String
    public let options: SigningOptions
    /// The clock; injected so that tests are exact.
    public let now: @Sendable () -> Date
    let keys: SigningKeyCache
    /// The key of the last day signed for: one comparison instead of a cache lookup on the hot path.
    let lastKey = SigningKeySlot()
    /// `X-Amz-Algorithm=…&X-Amz-Credential=<key>%2F`, encoded once: only the date changes between presigns.
    let encodedCredentialPrefix: [UInt8]
    /// `%2F<region>%2F<service>%2Faws4_request&X-Amz-Date=`, encoded once.
    let encodedScopeSuffix: [UInt8]

    public init(
        credentials: Credentials, region: String, service: String = "s3", options: SigningOptions = .s3,
        keyCache: SigningKeyCache = SigningKeyCache(capacity: 64), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
        self.keys = keyCache
        self.now = now
        var prefix = Array("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=".utf8)
        PercentEncoding.append(string: credentials.accessKeyID, to: &prefix, keepingSlash: false)
        prefix.append(contentsOf: "%2F".utf8)
        self.encodedCredentialPrefix = prefix
        var suffix = Array("%2F".utf8)
        PercentEncoding.append(string: region, to: &suffix, keepingSlash: false)
        suffix.append(contentsOf: "%2F".utf8)
        PercentEncoding.append(string: service, to: &suffix, keepingSlash: false)
        suffix.append(contentsOf: "%2Faws4_request&X-Amz-Date=".utf8)
        self.encodedScopeSuffix = suffix
    }

    /// The credential scope at `date`.
    public func scope(at date: AmzDate) -> CredentialScope {
        CredentialScope(dateStamp: date.dateStamp, region: region, service: service)
    }

    /// The (cached) signing key for `date`'s day.
    public func signingKey(at date: AmzDate) -> SigningKey { signingDay(at: date).key }

    /// The (cached) signing key and scope bytes for `date`'s day.
    func signingDay(at date: AmzDate) -> SigningKeySlot.Day {
        let number = date.dayNumber
        if let day = lastKey.day(number) { return day }
        let key = keys.key(secretAccessKey: credentials.secretAccessKey, dateStamp: date.dateStamp, region: region, service: service)
        let day = SigningKeySlot.Day(number: number, key: key, scope: scopeBytes(date))
        lastKey.store(day)
        return day
    }

    /// `date/region/service/aws4_request` as bytes.
    func scopeBytes(_ date: AmzDate) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 + region.utf8.count + service.utf8.count + 16)
        out.append(contentsOf: date.timestampBytes.prefix(8))
        out.append(0x2F)
        out.append(contentsOf: region.utf8)
        out.append(0x2F)
        out.append(contentsOf: service.utf8)
        out.append(contentsOf: "/aws4_request".utf8)
        return out
    }

    /// The current time as an ``AmzDate``.
    public var currentDate: AmzDate { AmzDate(now()) }
}

/// A request signed with an `Authorization` header.
public struct SignedRequest: Sendable {
    /// The request's headers followed by the ones the signer added (`X-Amz-Date`, …, `Authorization`).
    public var headers: HTTPHeaders
    /// The full `Authorization` header value.
    public var authorization: String
    /// The 64 hex characters of the signature (the seed signature of an aws-chunked body).
    public var signature: String
    public var canonicalRequest: String
    public var stringToSign: String
}

extension Signer {
    /// Signs `request` with an `Authorization` header.
    ///
    /// The signer adds `X-Amz-Date`, `X-Amz-Security-Token` (with temporary credentials) and, when
    /// `addsContentSHA256Header` is set (always for S3), `x-amz-content-sha256`. Every header of the
    /// request is signed, so pass only the ones that must be (`host` always).
    ///
    /// - Parameter signsSessionToken: `false` adds the token after signing (some services want that).
    public func sign(
        _ request: SignableRequest, payload: Payload, date: AmzDate? = nil, addsContentSHA256Header: Bool = true,
        signsSessionToken: Bool = true
    ) -> SignedRequest {
        let date = date ?? currentDate
        var headers = request.headers
        headers.append(.init("X-Amz-Date", date.timestamp))
        if let token = credentials.sessionToken, signsSessionToken { headers.append(.init("X-Amz-Security-Token", token)) }
        if addsContentSHA256Header { headers.append(.init("x-amz-content-sha256", payload.value)) }
        let canonicalHeaders = CanonicalHeaders(headers)
        let canonical = CanonicalRequest(
            method: request.method, wirePath: request.path, query: request.query, headers: canonicalHeaders, payload: payload.value,
            options: options)
        let day = signingDay(at: date)
        let scope = day.scope
        let stringToSign = canonical.stringToSign(date: date, scope: scope)
        let signature = day.key.signature(of: stringToSign)
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(String(decoding: scope, as: UTF8.self)), "
            + "SignedHeaders=\(canonicalHeaders.signedHeaders), Signature=\(signature)"
        if let token = credentials.sessionToken, !signsSessionToken { headers.append(.init("X-Amz-Security-Token", token)) }
        headers.append(.init("Authorization", authorization))
        return SignedRequest(
            headers: headers, authorization: authorization, signature: signature, canonicalRequest: canonical.text,
            stringToSign: String(decoding: stringToSign, as: UTF8.self))
    }
}
