/// The gateway's routes with the types they take and answer: the README's API table is ``markdown``.
public enum APIReference {
    /// One route.
    public struct Route: Sendable {
        public var method: String
        public var path: String
        /// The request body's type, if any.
        public var request: String?
        /// The success answer: status and type (or what it is).
        public var answer: String
        public var notes: String
    }

    public static let routes: [Route] = [
        Route(
            method: "POST", path: "/api/uploads", request: name(UploadRequest.self), answer: "201 \(name(UploadPlan.self))",
            notes: "A presigned PUT (`method`, `url`, signed `headers`, and `curl`: the PUT and the completion as one shell command; "
                + "`?format=shell` answers only that command), a `multipart` plan over `uploads.multipartThreshold`, or with "
                + "`\"mode\":\"post\"` a POST-policy form (`fields`) whose `content-length-range` is the declared size."),
        Route(
            method: "POST", path: "/api/uploads/{id}/complete", request: name(CompletionRequest.self), answer: "201 \(name(Completion.self))",
            notes: "Multipart uploads list their `parts`. The gateway HEADs the object: a mismatch deletes it and answers "
                + "`422 upload_mismatch` with each `mismatches` entry. With `Accept: text/plain` the answer is the share link alone."),
        Route(
            method: "GET", path: "/api/limits", request: nil, answer: "200 \(name(UploadLimits.self))",
            notes: "What a client needs before it declares."),
        Route(
            method: "GET", path: "/api/usage", request: nil, answer: "200 \(name(TokenUsageReport.self))",
            notes: "With `Authorization: Bearer <upload token>`: what the token keeps stored against `auth.quota`."),
        Route(method: "GET", path: "/api/shares/{id}", request: nil, answer: "200 \(name(ShareFacts.self))", notes: "A share's public facts."),
        Route(
            method: "DELETE", path: "/api/shares/{id}", request: nil, answer: "204",
            notes: "With `Authorization: Bearer <deleteToken>`: revokes the share and deletes the object."),
        Route(
            method: "GET", path: "/s/{id}", request: nil, answer: "200 HTML",
            notes: "The view page; 404 unknown, 410 expired, revoked or out of downloads, with the reason."),
        Route(
            method: "GET", path: "/s/{id}/raw", request: nil, answer: "302",
            notes: "To a fresh presigned GET (`shares.linkExpiry`); `?download=1` as an attachment; counts a download."),
        Route(
            method: "GET", path: "/s/{id}/qr.svg", request: nil, answer: "200 SVG",
            notes: "The share link as a QR code (libqrencode, error correction M); 404 unknown, 410 no longer available."),
        Route(
            method: "GET", path: "/healthz", request: nil, answer: "200 \(name(Status.self))", notes: "Liveness: `ok` whenever the process answers."),
        Route(
            method: "GET", path: "/readyz", request: nil, answer: "200 \(name(Status.self))",
            notes: "Readiness: `ready` when the store answers HeadBucket with the configured credentials (at most one check a second), "
                + "else `503 not_ready` with the reason."),
    ]

    /// The README's API table.
    public static var markdown: String {
        var lines = ["| route | request | answer | what |", "| --- | --- | --- | --- |"]
        for route in routes {
            lines.append("| `\(route.method) \(route.path)` | \(route.request.map { "`\($0)`" } ?? "") | `\(route.answer)` | \(route.notes) |")
        }
        return lines.joined(separator: "\n")
    }

    static func name(_ type: Any.Type) -> String { String(describing: type) }
}
