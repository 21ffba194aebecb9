import DropgateAPI
import EndToEnd
import Foundation
import HTTPWire

/// What an encrypted request's submission carries beside its files: the share key wrapped to the owner's curve, and
/// the sealed manifest naming the files. The gateway can open neither; it checks their shapes and bounds, and that
/// every file is sealed (a plain request's submission carries neither, and no sealed file).
struct SealedSubmission: Sendable {
    var keyWrap: OwnerWrappedKey
    var manifest: String

    /// The most bytes a sealed manifest may have: about 1,000 files' names, types and sizes.
    static let manifestLimit = 64 * 1024

    /// Nil for a plain request's submission; the parts, checked, for an encrypted one; 400 in plain words otherwise.
    init?(_ input: FileSubmissionRequest, request: FileRequestRecord, files: [VerifiedFile]) throws {
        guard let encryption = request.encryption else {
            guard input.keyWrap == nil, input.manifest == nil, !files.contains(where: { $0.sealed == true }) else {
                throw GatewayError.badRequest(.invalidEncryption, "This request is not encrypted: a submission carries no keyWrap or manifest.")
            }
            return nil
        }
        guard files.allSatisfy({ $0.sealed == true }) else {
            throw GatewayError.badRequest(.invalidEncryption, "This request is encrypted to its owner: every file must be sealed.")
        }
        guard let wrap = input.keyWrap, wrap.alg == encryption.publicKey.alg,
            (try? OwnerFragment.publicRaw(OwnerPublicKey(alg: wrap.alg, key: wrap.ephemeral))) != nil,
            Base64URL.decode(wrap.nonce)?.count == 12, Base64URL.decode(wrap.wrapped)?.count == 48
        else {
            throw GatewayError.badRequest(
                .invalidEncryption,
                "An encrypted request's submission carries keyWrap {alg: \"\(encryption.publicKey.alg, as: "alg")\", ephemeral, nonce (12 bytes), wrapped (48 bytes)}."
            )
        }
        guard let text = input.manifest, text.utf8.count <= Self.manifestLimit * 4 / 3 + 4, let bytes = Base64URL.decode(text),
            bytes.count >= 32, bytes.count <= Self.manifestLimit, SealedHeader(parsing: bytes) != nil
        else {
            throw GatewayError.badRequest(
                .invalidEncryption, "An encrypted request's submission carries its manifest: a DGE1 file of at most 64 KiB, base64url.")
        }
        keyWrap = wrap
        manifest = text
    }
}
