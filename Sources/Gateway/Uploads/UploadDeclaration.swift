import DropgateAPI
import EndToEnd
import Foundation
import SigV4

/// The validated body of `POST /api/uploads`.
struct UploadDeclaration {
    var filename: String
    var size: Int64
    var contentType: String
    var sha256: String?
    var expiresIn: Int
    var maxDownloads: Int?
    var mode: UploadMode
    /// The record size of an end-to-end encrypted upload (its `size` is then the exact sealed size).
    var sealedRecordSize: Int?

    /// The error for a field of the wrong JSON type.
    static let fieldErrors: [String: (APIErrorCode, Wording)] = [
        "filename": (.invalidFilename, "filename must be a string."),
        "size": (.invalidSize, "size must be the file's length in bytes, a whole number."),
        "contentType": (.invalidContentType, "contentType must be a string such as image/png."),
        "sha256": (.invalidSha256, "sha256 must be a string: 64 hex digits or base64."),
        "expiresIn": (.invalidExpiry, "expiresIn must be a whole number of seconds."),
        "maxDownloads": (.invalidMaxDownloads, "maxDownloads must be a whole number."),
        "mode": (.invalidMode, "mode must be \"put\" or \"post\"."),
        "encryption": (.invalidEncryption, "encryption must be {\"plaintextSize\": <bytes>, \"recordSize\": <bytes>}."),
    ]

    init(_ bytes: [UInt8], settings: GatewaySettings) throws {
        let input: UploadRequest
        try GatewayError.checkStrict(bytes, UploadRequest.shape)
        do {
            input = try UploadRequest(flat: bytes) ?? APIJSON.decode(UploadRequest.self, from: bytes)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.first?.stringValue ?? ""
            let (code, message) = Self.fieldErrors[field] ?? (.invalidJSON, "The request body must be a JSON object.")
            throw GatewayError.badRequest(code, message)
        } catch {
            throw GatewayError.badRequest(.invalidJSON, "The request body must be a JSON object.")
        }
        guard let filename = input.filename else {
            throw GatewayError.badRequest(.invalidFilename, "filename is required: the name of the file being uploaded.")
        }
        // A printable ASCII name with no space at either end has nothing to trim and no bidirectional control.
        let plain =
            filename.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && (filename.utf8.first ?? 0) > 0x20 && (filename.utf8.last ?? 0) > 0x20
        let trimmed = plain ? filename : Self.withoutBidiControls(filename).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw GatewayError.badRequest(.invalidFilename, "filename must not be empty.") }
        guard trimmed.utf8.count <= settings.uploads.maxFilenameLength else {
            throw GatewayError.badRequest(
                .invalidFilename,
                "filename is \(trimmed.utf8.count, as: "bytes") bytes; at most \(settings.uploads.maxFilenameLength, as: "maxFilenameLength") are allowed."
            )
        }
        guard let size = input.size, size >= 0 else {
            throw GatewayError.badRequest(.invalidSize, "size is required: the file's length in bytes, a whole number of at least 0.")
        }
        guard size <= settings.uploads.maxBytes else {
            throw GatewayError(
                413, .uploadTooLarge,
                "The file is \(size, as: "size") bytes; this gateway accepts at most \(settings.uploads.maxBytes, as: "maxBytes").")
        }
        // Ciphertext gives a scanner nothing to find, so only plain uploads are bounded by what the scanner takes.
        if settings.uploads.scan.clamd != nil, input.encryption == nil, size > settings.uploads.scan.maxBytes {
            throw GatewayError(
                413, .tooLargeToScan,
                "This gateway scans every file for viruses, and its scanner takes files up to \(ClientLimiter.words(settings.uploads.scan.maxBytes), as: "most"); this one is \(ClientLimiter.words(size), as: "size"), so it cannot be shared here."
            )
        }
        if let encryption = input.encryption {
            guard let sealed = SealedFormat.sealedSize(plaintextSize: encryption.plaintextSize, recordSize: encryption.recordSize) else {
                throw GatewayError.badRequest(
                    .invalidEncryption,
                    "encryption.recordSize must be from \(SealedFormat.recordSizes.lowerBound, as: "least") to \(SealedFormat.recordSizes.upperBound, as: "most"), and plaintextSize at least 0."
                )
            }
            guard sealed == size else {
                throw GatewayError.badRequest(
                    .invalidEncryption,
                    "A sealed file of \(encryption.plaintextSize, as: "plaintextSize") bytes in records of \(encryption.recordSize, as: "recordSize") is \(sealed, as: "sealed") bytes; size says \(size, as: "size")."
                )
            }
            guard (input.contentType ?? "application/octet-stream") == "application/octet-stream" else {
                throw GatewayError.badRequest(
                    .invalidEncryption, "An encrypted upload is application/octet-stream: its type is in its sealed manifest.")
            }
            sealedRecordSize = encryption.recordSize
        }
        guard let declaredType = MediaType(input.contentType ?? "application/octet-stream") else {
            throw GatewayError.badRequest(
                .invalidContentType,
                "contentType must be one media type such as image/png or text/plain; charset=utf-8 (no lists, no spaces inside).")
        }
        let contentType = Self.effectiveType(declared: declaredType, filename: trimmed).description
        guard Self.isAllowed(contentType, by: settings.uploads.allowedTypes) else {
            throw GatewayError(
                415, .typeNotAllowed,
                "\(trimmed, as: "filename") is a \(contentType, as: "contentType") file, and those are not accepted here. Allowed types: \(settings.uploads.allowedTypes.joined(separator: ", "), as: "allowedTypes")."
            )
        }
        if let sha256 = input.sha256 {
            guard let digest = Self.sha256Digest(sha256) else {
                throw GatewayError.badRequest(
                    .invalidSha256, "sha256 must be the file's SHA-256: 64 hex digits as sha256sum prints them, or the base64 of the 32 bytes.")
            }
            self.sha256 = Data(digest).base64EncodedString()
        }
        let terms = try ShareTerms(expiresIn: input.expiresIn, maxDownloads: input.maxDownloads, settings: settings)
        let mode = input.mode ?? .put
        self.filename = trimmed
        self.size = size
        self.contentType = contentType
        self.expiresIn = terms.expiresIn
        self.maxDownloads = terms.maxDownloads
        self.mode = mode
    }

    /// The name with every bidirectional control removed (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), so
    /// `invoice\u{202E}txt.exe` can never show as `invoiceexe.txt` on a page, in `filename*` or in a terminal.
    static func withoutBidiControls(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars where !isBidiControl(scalar) { scalars.append(scalar) }
        return String(scalars)
    }

    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The type the gateway signs and checks: the declared one, except that `application/octet-stream` (a client
    /// that did not know) becomes the type of the filename's extension when the table knows it, so every client
    /// (browser, CLI, curl) meets the same `uploads.allowedTypes` for the same file.
    static func effectiveType(declared: MediaType, filename: String) -> MediaType {
        guard declared.essence == "application/octet-stream", let known = MediaTypeTable.type(forFilename: filename).flatMap(MediaType.init)
        else { return declared }
        return known
    }

    /// The 32 bytes of a SHA-256 given as 64 hex digits (either case) or as base64.
    static func sha256Digest(_ text: String) -> [UInt8]? {
        if text.utf8.count == 64, let bytes = Hex.decode(text) { return bytes }
        guard let digest = Data(base64Encoded: text), digest.count == 32 else { return nil }
        return Array(digest)
    }

    /// `image/png` is allowed by `image/png`, `image/*` or `*/*`, matched on the parsed essence (parameters such as
    /// charset are ignored); a type that does not parse is allowed by nothing.
    static func isAllowed(_ type: String, by allowed: [String]) -> Bool {
        guard let parsed = MediaType(type) else { return false }
        let essence = parsed.essence
        let typeWildcard = parsed.type + "/*"
        // Compared without lowercasing each pattern: the parsed type is lowercase already.
        return allowed.contains { pattern in
            pattern == "*/*" || pattern.asciiCaseInsensitiveEquals(essence) || pattern.asciiCaseInsensitiveEquals(typeWildcard)
        }
    }
}
