extension Verifier {
    /// Verifies query-string auth (`X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…`).
    func verifyPresigned(_ request: SignableRequest) throws(SigV4Error) -> VerifiedRequest {
        guard let algorithm = request.queryValue("X-Amz-Algorithm"), let credential = request.queryValue("X-Amz-Credential"),
            let dateText = request.queryValue("X-Amz-Date"), let expiresText = request.queryValue("X-Amz-Expires"),
            let signedHeadersText = request.queryValue("X-Amz-SignedHeaders"), let signature = request.queryValue("X-Amz-Signature")
        else {
            throw .queryParameters(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, "
                    + "X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
        }
        guard algorithm == "AWS4-HMAC-SHA256" else {
            throw .queryParameters("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"; got '\(algorithm)'.")
        }
        guard let expires = Int64(expiresText) else {
            throw .queryParameters("X-Amz-Expires must be a whole number of seconds; got '\(expiresText)'.")
        }
        // A URL that was valid for no time at all, or less, has expired, as S3 says of it.
        guard expires > 0 else { throw SigV4Error.expired }
        guard expires <= Int64(maximumPresignExpiry) else {
            throw .queryParameters("X-Amz-Expires must be less than a week (in seconds) that is 604800; got \(expires).")
        }
        guard let date = AmzDate(timestamp: dateText) else {
            throw .queryParameters("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"; got '\(dateText)'.")
        }
        let (credentials, scope) = try resolve(credential: credential, malformed: SigV4Error.queryParameters)
        guard date.dateStamp == scope.dateStamp else {
            throw .queryParameters("Invalid credential date \(scope.dateStamp): it is not the date of X-Amz-Date (\(date.dateStamp)).")
        }
        let clock = AmzDate(now())
        let expiresAt = date.adding(seconds: expires)
        guard clock <= expiresAt else { throw SigV4Error.expired }
        guard date.secondsSince1970 - clock.secondsSince1970 <= maximumClockSkew else {
            throw SigV4Error(.notYetValid, "Request is not valid yet: X-Amz-Date \(date.timestamp) is in the future.")
        }
        let signedHeaders = signedHeadersText.split(separator: ";").map { String($0) }
        try requireSigned(signedHeaders, in: request, presigned: true)
        try checkSessionToken(request.queryValue("X-Amz-Security-Token"), credentials)
        let payload = request.queryValue("X-Amz-Content-Sha256").flatMap { Payload(headerValue: $0) } ?? .unsigned
        var missing: [String] = []
        let headers = CanonicalHeaders(request.headers, signedNames: signedHeaders, missing: &missing)
        let canonical = CanonicalRequest(
            method: request.method, wirePath: request.path, query: request.query, excludingQuery: "X-Amz-Signature", headers: headers,
            payload: payload.value, options: options)
        let key = try check(signature: signature, canonical: canonical, date: date, scope: scope, credentials: credentials, missing: missing)
        return VerifiedRequest(
            accessKeyID: credentials.accessKeyID, scope: scope, date: date, signature: signature, signedHeaders: signedHeaders, payload: payload,
            expiresAt: expiresAt, signingKey: key)
    }
}
