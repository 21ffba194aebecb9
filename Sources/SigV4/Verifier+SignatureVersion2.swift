import Crypto
import Foundation

extension Verifier {
    /// The query parameters S3's Signature Version 2 string to sign covers (botocore's list, as MinIO and RGW take it).
    static let signatureVersion2Subresources: Set<String> = [
        "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory", "lifecycle", "location", "logging", "metrics",
        "notification", "object-lock", "partNumber", "policy", "replication", "requestPayment", "response-cache-control",
        "response-content-disposition", "response-content-encoding", "response-content-language", "response-content-type", "response-expires",
        "restore", "select", "select-type", "storageClass", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions",
        "website",
    ]

    /// Whether `request` carries Signature Version 2 authentication: `Authorization: AWS <key>:<signature>`, or the
    /// `AWSAccessKeyId`/`Signature`/`Expires` query parameters.
    public static func isSignatureVersion2(_ request: SignableRequest) -> Bool {
        request.header("authorization")?.hasPrefix("AWS ") == true
            || request.query.contains { $0.name == "AWSAccessKeyId" || $0.name == "Signature" }
    }

    /// Verifies Signature Version 2 (HMAC-SHA1 over S3's string to sign), for stores that still take it as MinIO and
    /// Ceph RGW do. The string to sign is the method, `Content-MD5`, `Content-Type`, the date (the `Date` header, empty
    /// when `x-amz-date` is sent, or `Expires` for a presigned URL), the `x-amz-*` headers and the canonical resource:
    /// `resourcePath` (the bucket and the key as sent) and the sub-resources of the query, sorted. Signatures are
    /// compared in constant time; an expired URL or a skewed date is refused.
    ///
    /// - Parameter resourcePath: `/bucket/key` with the key percent-encoded as in the request (also for virtual-host
    ///   addressing, where the bucket is not in the path).
    public func verifySignatureVersion2(_ request: SignableRequest, resourcePath: String) throws(SigV4Error) -> VerifiedRequest {
        let clock = AmzDate(now())
        let isQuery = request.query.contains { $0.name == "AWSAccessKeyId" || $0.name == "Signature" }
        let accessKeyID: String
        let signature: String
        let dateLine: String
        let date: AmzDate
        var expiresAt: AmzDate?
        if isQuery {
            guard let key = request.queryValue("AWSAccessKeyId"), let given = request.queryValue("Signature"),
                let expiresText = request.queryValue("Expires"), let expires = Int64(expiresText), expires >= 0
            else {
                throw .queryParameters("Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters.")
            }
            guard clock.secondsSince1970 <= expires else { throw SigV4Error.expired }
            (accessKeyID, signature, dateLine, date) = (key, given, expiresText, clock)
            expiresAt = AmzDate(secondsSince1970: expires)
        } else {
            let header = request.header("authorization") ?? ""
            let credentials = header.dropFirst("AWS ".count)
            guard let colon = credentials.firstIndex(of: ":"), colon != credentials.startIndex,
                credentials.index(after: colon) != credentials.endIndex
            else { throw .headerMalformed("The authorization header is malformed; Signature Version 2 is AWS <access key>:<signature>.") }
            let amzDate = request.header("x-amz-date")
            guard let dateText = amzDate ?? request.header("date") else {
                throw SigV4Error(.badDate, "AWS authentication requires a valid Date or x-amz-date header.")
            }
            guard let parsed = AmzDate(httpDate: dateText) else {
                throw SigV4Error(.badDate, "The date '\(dateText)' is not an IMF-fixdate such as Sun, 06 Nov 1994 08:49:37 GMT.")
            }
            // A time before 1970 is no request time at all (S3: AccessDenied); a real one too far off is a skew.
            guard parsed.secondsSince1970 >= 0 else {
                throw SigV4Error(.badDate, "The request time \(dateText) is before 1970: it is not a valid date.")
            }
            guard abs(clock.secondsSince1970 - parsed.secondsSince1970) <= maximumClockSkew else {
                throw SigV4Error(
                    .clockSkew,
                    "The difference between the request time (\(dateText)) and the server time (\(clock.timestamp)) is over \(maximumClockSkew) seconds."
                )
            }
            accessKeyID = String(credentials[..<colon])
            signature = String(credentials[credentials.index(after: colon)...])
            dateLine = amzDate == nil ? dateText : ""
            date = parsed
        }
        guard let credentials = lookup(accessKeyID) else {
            throw SigV4Error(.unknownAccessKey, "The AWS Access Key Id you provided does not exist in our records.")
        }
        try checkSessionToken(request.header("x-amz-security-token") ?? request.queryValue("x-amz-security-token"), credentials)
        let stringToSign = Self.signatureVersion2StringToSign(request, resourcePath: resourcePath, dateLine: dateLine, fromQuery: isQuery)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Array(stringToSign.utf8), using: SymmetricKey(data: Array(credentials.secretAccessKey.utf8)))
        let expected = Data(mac).base64EncodedString()
        guard ConstantTime.equals(Array(expected.utf8), Array(signature.utf8)) else {
            throw SigV4Error(
                .signatureMismatch,
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                expectedStringToSign: stringToSign)
        }
        return VerifiedRequest(
            accessKeyID: accessKeyID, scope: CredentialScope(dateStamp: date.dateStamp, region: region ?? "us-east-1", service: service),
            date: date, signature: signature, signedHeaders: [], payload: .unsigned, expiresAt: expiresAt,
            signingKey: SigningKey(secretAccessKey: "", dateStamp: date.dateStamp, region: region ?? "us-east-1", service: service))
    }

    /// S3's SigV2 string to sign. For a presigned URL, `Content-Type`, `Content-MD5` and `x-amz-*` may come from the
    /// query (as botocore puts them there) when the request does not send them as headers.
    static func signatureVersion2StringToSign(_ request: SignableRequest, resourcePath: String, dateLine: String, fromQuery: Bool) -> String {
        func standard(_ name: String) -> String {
            ASCIIText.trimmed(request.header(name) ?? (fromQuery ? request.queryValue(name) : nil) ?? "")
        }
        var amz: [String: [String]] = [:]
        for field in request.headers {
            let name = field.name.lowercased()
            if name.hasPrefix("x-amz-") { amz[name, default: []].append(ASCIIText.trimmed(field.value)) }
        }
        if fromQuery {
            for item in request.query where item.name.lowercased().hasPrefix("x-amz-") && amz[item.name.lowercased()] == nil {
                amz[item.name.lowercased()] = [ASCIIText.trimmed(PercentDecoding.decode(item.value) ?? item.value)]
            }
        }
        var text = request.method + "\n" + standard("content-md5") + "\n" + standard("content-type") + "\n" + dateLine + "\n"
        for name in amz.keys.sorted() { text += name + ":" + (amz[name] ?? []).joined(separator: ",") + "\n" }
        text += resourcePath
        let subresources = request.query.filter { signatureVersion2Subresources.contains($0.name) }.sorted { $0.name < $1.name }
        if !subresources.isEmpty {
            text +=
                "?"
                + subresources.map { $0.value.isEmpty ? $0.name : $0.name + "=" + (PercentDecoding.decode($0.value) ?? $0.value) }
                .joined(separator: "&")
        }
        return text
    }
}
