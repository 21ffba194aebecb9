import Foundation
import HTTPServer
import S3Client
import SigV4

extension GatewayCore {
    /// `POST /api/uploads`: validates the declaration and answers with a presigned PUT, a multipart plan
    /// or a POST-policy form, plus the upload id (a token the gateway signed).
    func createUpload(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        try requireUploadToken(request)
        let declaration = try UploadDeclaration(try body.readAll(limit: 64 * 1024), settings: settings)
        let date = now()
        let key = ObjectKey.make(filename: declaration.filename, date: date)
        let (urlExpiry, clamped) = try presignLifetime(settings.uploads.presignExpiry)
        let expiresAt = Int64(date.timeIntervalSince1970) + Int64(urlExpiry)
        var token = UploadToken(
            key: key, filename: declaration.filename, size: declaration.size, contentType: declaration.contentType, sha256: declaration.sha256,
            shareExpiresIn: declaration.expiresIn, maxDownloads: declaration.maxDownloads, uploadID: nil, expiresAt: expiresAt + 86_400)
        var answer: [String: JSONValue] = ["key": .string(key), "expiresAt": .string(Self.iso8601(expiresAt))]
        var putCommand: (headers: [SignableRequest.Header], url: String)?
        if clamped {
            answer["expiryClamped"] = .string("The upload URLs expire early: the gateway's temporary storage credentials expire then.")
        }
        if declaration.mode == "post" {
            let form = try postForm(key: key, declaration: declaration, expires: urlExpiry)
            answer["method"] = .string("POST")
            answer["url"] = .string(form.url)
            answer["fields"] = .object(form.fields.mapValues { .string($0) })
        } else if declaration.size > settings.uploads.multipartThreshold {
            token.sha256 = nil  // a multipart object has no whole-object SHA-256 to compare; size and type are checked
            let uploadID = try client.createMultipartUpload(key: key, contentType: declaration.contentType)
            token.uploadID = uploadID
            let partSize = max(settings.uploads.partSize, (declaration.size + 9_999) / 10_000)
            let count = Int((declaration.size + partSize - 1) / partSize)
            let parts: [JSONValue] = try (1...count).map { number in
                let url = try presigner.url(
                    method: "PUT", bucket: settings.storage.bucket, key: key, expires: urlExpiry,
                    query: [.init("partNumber", String(number)), .init("uploadId", PercentEncoding.encode(uploadID))])
                return .object(["partNumber": .number(Int64(number)), "url": .string(url)])
            }
            answer["multipart"] = .object(["uploadId": .string(uploadID), "partSize": .number(partSize), "parts": .array(parts)])
            metrics.presigned(parts.count)
        } else {
            var headers: [SignableRequest.Header] = [
                .init("Content-Type", declaration.contentType), .init("Content-Length", String(declaration.size)), .init("If-None-Match", "*"),
            ]
            if let sha256 = declaration.sha256 { headers.append(.init("x-amz-checksum-sha256", sha256)) }
            let url = try presigner.url(method: "PUT", bucket: settings.storage.bucket, key: key, expires: urlExpiry, headers: headers)
            answer["method"] = .string("PUT")
            answer["url"] = .string(url)
            metrics.presigned(1)
            answer["headers"] = .object(Dictionary(uniqueKeysWithValues: headers.map { ($0.name, JSONValue.string($0.value)) }))
            putCommand = (headers, url)
        }
        let id = token.encoded(secret: secret)
        answer["id"] = .string(id)
        if let (headers, url) = putCommand {
            let command = curlCommand(filename: declaration.filename, headers: headers, url: url, uploadID: id)
            answer["curl"] = .string(command)
            if request.queryItems.contains(where: { $0.name == "format" && $0.value == "shell" }) {
                return HTTPResponse(status: 201, contentType: "text/plain; charset=utf-8", body: command + "\n")
            }
        } else if request.queryItems.contains(where: { $0.name == "format" && $0.value == "shell" }) {
            throw GatewayError.badRequest(
                "shell_unavailable", "This upload needs a multipart or form plan, which one curl command cannot carry out: use dropgate upload.")
        }
        return JSONValue.object(answer).response(status: 201)
    }

    /// The shell command that uploads the file with curl and then completes the upload, printing the share link.
    /// `--fail-with-body` makes a refused PUT exit non-zero (with the store's XML shown) so the completion never runs.
    func curlCommand(filename: String, headers: [SignableRequest.Header], url: String, uploadID: String) -> String {
        let flags = headers.filter { $0.name != "Content-Length" }.map { "-H \(Self.shellQuote("\($0.name): \($0.value)"))" }
        let put = (["curl", "--fail-with-body", "-sS", "-T", Self.shellQuote(filename)] + flags + [Self.shellQuote(url)])
        var base = settings.gateway.publicURL
        while base.hasSuffix("/") { base.removeLast() }
        let complete = "curl --fail-with-body -sS -X POST -H 'Accept: text/plain' \(Self.shellQuote("\(base)/api/uploads/\(uploadID)/complete"))"
        return put.joined(separator: " ") + " && " + complete
    }

    /// A POST-policy form for the store's public endpoint, exact size enforced by content-length-range.
    func postForm(key: String, declaration: UploadDeclaration, expires: Int) throws -> (url: String, fields: [String: String]) {
        var fields: [(name: String, value: String)] = [("Content-Type", declaration.contentType), ("success_action_status", "201")]
        if let sha256 = declaration.sha256 { fields.append(("x-amz-checksum-sha256", sha256)) }
        let form = try presigner.signer.postForm(
            bucket: settings.storage.bucket, key: key, contentLength: declaration.size...declaration.size, fields: fields, expires: expires)
        let (host, path) = presigner.endpoint.location(bucket: settings.storage.bucket, key: "")
        let url = "\(presigner.endpoint.scheme)://\(host)\(path.isEmpty ? "/" : path)"
        return (url, Dictionary(form.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }

    static func iso8601(_ seconds: Int64) -> String { AmzDate(secondsSince1970: seconds).iso8601 }

    /// Single-quotes a word for a POSIX shell.
    static func shellQuote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// The JSON body of `POST /api/uploads`, decoded with exact types (a size of `12.5` or `true` is refused).
///
/// Numbers decode as `Double` and are checked to be whole here: Foundation reports a fraction given for
/// an integer field as corrupt JSON without naming the field.
struct UploadRequestBody: Decodable {
    var filename: String?
    var size: Double?
    var contentType: String?
    var sha256: String?
    var expiresIn: Double?
    var maxDownloads: Double?
    var mode: String?
}

/// `value` as an integer when it is a whole number within ±2^53.
func wholeNumber(_ value: Double?) -> Int64?? {
    guard let value else { return .some(nil) }
    guard value.rounded() == value, abs(value) <= 9_007_199_254_740_992 else { return nil }
    return .some(Int64(value))
}

/// The validated body of `POST /api/uploads`.
struct UploadDeclaration {
    var filename: String
    var size: Int64
    var contentType: String
    var sha256: String?
    var expiresIn: Int
    var maxDownloads: Int?
    var mode: String

    /// The error for a field of the wrong JSON type.
    static let fieldErrors: [String: (String, String)] = [
        "filename": ("invalid_filename", "filename must be a string."),
        "size": ("invalid_size", "size must be the file's length in bytes, a whole number."),
        "contentType": ("invalid_content_type", "contentType must be a string such as image/png."),
        "sha256": ("invalid_sha256", "sha256 must be a string: 64 hex digits or base64."),
        "expiresIn": ("invalid_expiry", "expiresIn must be a whole number of seconds."),
        "maxDownloads": ("invalid_max_downloads", "maxDownloads must be a whole number."),
        "mode": ("invalid_mode", "mode must be \"put\" or \"post\"."),
    ]

    init(_ bytes: [UInt8], settings: GatewaySettings) throws {
        let input: UploadRequestBody
        do {
            input = try JSONDecoder().decode(UploadRequestBody.self, from: Data(bytes))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.first?.stringValue ?? ""
            let (code, message) = Self.fieldErrors[field] ?? ("invalid_json", "The request body must be a JSON object.")
            throw GatewayError.badRequest(code, message)
        } catch {
            throw GatewayError.badRequest("invalid_json", "The request body must be a JSON object.")
        }
        guard let filename = input.filename else {
            throw GatewayError.badRequest("invalid_filename", "filename is required: the name of the file being uploaded.")
        }
        let trimmed = filename.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw GatewayError.badRequest("invalid_filename", "filename must not be empty.") }
        guard trimmed.utf8.count <= settings.uploads.maxFilenameLength else {
            throw GatewayError.badRequest(
                "invalid_filename", "filename is \(trimmed.utf8.count) bytes; at most \(settings.uploads.maxFilenameLength) are allowed.")
        }
        guard let wholeSize = wholeNumber(input.size), let size = wholeSize, size >= 0 else {
            throw GatewayError.badRequest("invalid_size", "size is required: the file's length in bytes, a whole number of at least 0.")
        }
        guard size <= settings.uploads.maxBytes else {
            throw GatewayError(413, "upload_too_large", "The file is \(size) bytes; this gateway accepts at most \(settings.uploads.maxBytes).")
        }
        let declaredType = (input.contentType ?? "application/octet-stream").trimmingCharacters(in: .whitespaces)
        guard !declaredType.isEmpty, declaredType.utf8.count <= 200, declaredType.contains("/"),
            declaredType.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F })
        else {
            throw GatewayError.badRequest("invalid_content_type", "contentType must be a media type such as image/png.")
        }
        let contentType = Self.effectiveType(declared: declaredType, filename: trimmed)
        guard Self.isAllowed(contentType, by: settings.uploads.allowedTypes) else {
            throw GatewayError(
                415, "type_not_allowed",
                "\(trimmed) is a \(contentType) file, and those are not accepted here. Allowed types: \(settings.uploads.allowedTypes.joined(separator: ", "))."
            )
        }
        if let sha256 = input.sha256 {
            guard let digest = Self.sha256Digest(sha256) else {
                throw GatewayError.badRequest(
                    "invalid_sha256", "sha256 must be the file's SHA-256: 64 hex digits as sha256sum prints them, or the base64 of the 32 bytes.")
            }
            self.sha256 = Data(digest).base64EncodedString()
        }
        guard let wholeExpiry = wholeNumber(input.expiresIn) else {
            throw GatewayError.badRequest("invalid_expiry", "expiresIn must be a whole number of seconds.")
        }
        let expiresIn = wholeExpiry.map { Int(clamping: $0) } ?? settings.shares.defaultExpiry
        guard (settings.shares.minExpiry...max(settings.shares.minExpiry, settings.shares.maxExpiry)).contains(expiresIn) else {
            throw GatewayError.badRequest(
                "invalid_expiry", "expiresIn must be a number of seconds from \(settings.shares.minExpiry) to \(settings.shares.maxExpiry).")
        }
        guard let maxDownloads = wholeNumber(input.maxDownloads), (maxDownloads ?? 1) >= 1 else {
            throw GatewayError.badRequest("invalid_max_downloads", "maxDownloads must be a whole number of at least 1.")
        }
        let mode = input.mode ?? "put"
        guard mode == "put" || mode == "post" else { throw GatewayError.badRequest("invalid_mode", "mode must be \"put\" or \"post\".") }
        self.filename = trimmed
        self.size = size
        self.contentType = contentType
        self.expiresIn = expiresIn
        self.maxDownloads = maxDownloads.map { Int(clamping: $0) }
        self.mode = mode
    }

    /// The type the gateway signs and checks: the declared one, except that `application/octet-stream` (a client
    /// that did not know) becomes the type of the filename's extension when the table knows it, so every client
    /// (browser, CLI, curl) meets the same `uploads.allowedTypes` for the same file.
    static func effectiveType(declared: String, filename: String) -> String {
        let bare = declared.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard bare == "application/octet-stream", let known = MediaTypeTable.type(forFilename: filename) else { return declared }
        return known
    }

    /// The 32 bytes of a SHA-256 given as 64 hex digits (either case) or as base64.
    static func sha256Digest(_ text: String) -> [UInt8]? {
        if text.utf8.count == 64, let bytes = Hex.decode(text) { return bytes }
        guard let digest = Data(base64Encoded: text), digest.count == 32 else { return nil }
        return Array(digest)
    }

    /// `image/png` is allowed by `image/png`, `image/*` or `*/*` (parameters such as charset are ignored).
    static func isAllowed(_ type: String, by allowed: [String]) -> Bool {
        let bare = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let family = bare.split(separator: "/").first.map(String.init) ?? ""
        return allowed.contains { pattern in
            let lowered = pattern.lowercased()
            return lowered == "*/*" || lowered == bare || lowered == "\(family)/*"
        }
    }
}
