import DropgateAPI
import EndToEnd
import Foundation
import HTTPWire

/// A new request's terms, checked and bounded like a share's: a title, caps within the gateway's own, an expiry
/// within `shares.minExpiry` and `shares.maxExpiry`, and media types that parse.
enum FileRequestTerms {
    static func record(_ input: FileRequestCreate, settings: GatewaySettings, id: String, now: Int64) throws -> FileRequestRecord {
        let title = (input.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count), !title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw GatewayError.badRequest(.badRequest, "title must be 1 to 200 characters, with no control characters.")
        }
        let note = input.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let note, note.count > 2_000 { throw GatewayError.badRequest(.badRequest, "note must be at most 2000 characters.") }
        let maxFiles = input.maxFiles ?? 20
        guard (1...FileRequestRecord.fileLimit).contains(maxFiles) else {
            throw GatewayError.badRequest(.badRequest, "maxFiles must be from 1 to \(FileRequestRecord.fileLimit, as: "most").")
        }
        let largest = settings.uploads.maxBytes
        let maxFileBytes = input.maxFileBytes ?? largest
        guard (1...largest).contains(maxFileBytes) else {
            throw GatewayError.badRequest(.badRequest, "maxFileBytes must be from 1 to \(largest, as: "most") (uploads.maxBytes).")
        }
        let (product, overflow) = maxFileBytes.multipliedReportingOverflow(by: Int64(maxFiles))
        let maxBytes = input.maxBytes ?? (overflow ? Int64(1) << 50 : min(product, Int64(1) << 50))
        guard (1...(Int64(1) << 50)).contains(maxBytes) else { throw GatewayError.badRequest(.badRequest, "maxBytes must be from 1 to 2^50.") }
        let types = input.allowedTypes ?? []
        guard types.count <= 50, types.allSatisfy(Self.isTypeOrRange) else {
            throw GatewayError.badRequest(
                .invalidContentType, "allowedTypes lists at most 50 media types or ranges such as image/* or application/pdf.")
        }
        let terms = try ShareTerms(expiresIn: input.expiresIn, maxDownloads: nil, settings: settings)
        if let encryption = input.encryption { try check(encryption, allowedTypes: types) }
        return FileRequestRecord(
            id: id, title: title, note: note?.isEmpty == true ? nil : note, maxFiles: maxFiles, maxBytes: maxBytes,
            maxFileBytes: min(maxFileBytes, maxBytes),
            allowedTypes: types.map { $0.lowercased() }, createdAt: now, expiresAt: now + Int64(terms.expiresIn), multiple: input.multiple ?? true,
            owner: nil, ownerTokenHash: nil, notify: input.notify == true ? true : nil, encryption: input.encryption)
    }

    /// An owner's public key that is one (X25519, or a point on P-256), and a sealed private key of bounded size. An
    /// encrypted request takes any type: the gateway never sees what the files are, so it could not hold types.
    static func check(_ encryption: RequestEncryption, allowedTypes: [String]) throws {
        guard (try? OwnerFragment.publicRaw(encryption.publicKey)) != nil else {
            throw GatewayError.badRequest(
                .invalidEncryption, "encryption.publicKey must be an X25519 key (32 bytes) or a P-256 point (65 bytes), base64url.")
        }
        if let sealed = encryption.sealedPrivateKey {
            guard WrappedKey.iterationRange.contains(sealed.iterations), Base64URL.decode(sealed.salt)?.count == 16,
                Base64URL.decode(sealed.nonce)?.count == 12, let wrapped = Base64URL.decode(sealed.wrapped), (17...528).contains(wrapped.count)
            else {
                throw GatewayError.badRequest(
                    .invalidEncryption,
                    "encryption.sealedPrivateKey is {salt (16 bytes), iterations (100000 to 10000000), nonce (12 bytes), wrapped}, base64url.")
            }
        }
        guard allowedTypes.isEmpty else {
            throw GatewayError.badRequest(
                .invalidEncryption, "An encrypted request cannot limit types: the gateway never sees what its files are. Leave allowedTypes out.")
        }
    }

    /// `image/png`, or a range `image/*`.
    static func isTypeOrRange(_ text: String) -> Bool {
        guard text.utf8.count <= 100 else { return false }
        if text.hasSuffix("/*") { return MediaType(String(text.dropLast()) + "x")?.essence != nil }
        return MediaType(text)?.parameters.isEmpty == true
    }
}
