import DropgateAPI
import Foundation

/// A file request, written once (create-only) at `.dropgate/requests/<id>/request.json`: what it asks for and whose
/// it is. What happens to it later (uploads reserved, submissions, closing) is kept beside it (see ``FileRequests``).
struct FileRequestRecord: Codable, Sendable, Equatable {
    var id: String
    var title: String
    var note: String?
    var maxFiles: Int
    var maxBytes: Int64
    var maxFileBytes: Int64
    /// Media types or `type/*` ranges; empty for any the gateway takes.
    var allowedTypes: [String]
    /// Seconds since 1970.
    var createdAt: Int64
    var expiresAt: Int64
    /// False: the request closes after its first submission.
    var multiple: Bool
    /// The owning account, when it was made signed in.
    var owner: String?
    /// Hex SHA-256 of the owner token's secret, when it was made without an account.
    var ownerTokenHash: String?
    /// The slow salted hash of the password senders give, when there is one.
    var password: PasswordHash? = nil
    /// Each submission is recorded as an event for notices (see ``FileRequests/recordEvent(_:submission:)``).
    var notify: Bool? = nil
    /// Encrypted to its owner: the owner's public key, and (made in a browser) their passphrase-sealed private key.
    var encryption: RequestEncryption? = nil

    /// The most files one request takes, whatever it asks.
    static let fileLimit = 1_000

    /// Whether senders may upload a file of `type` (an essence such as `image/png`).
    func allows(type: String) -> Bool {
        allowedTypes.isEmpty
            || allowedTypes.contains { allowed in
                allowed == type || (allowed.hasSuffix("/*") && type.hasPrefix(allowed.dropLast()))
            }
    }
}

/// What a request holds, in the bucket as a ``SequencedState`` under `.dropgate/requests/<id>/usage/`, so that every
/// gateway of the bucket counts against one total: each upload is held from the moment its URLs are issued, so no
/// sequence of plans on any number of gateways places more files or bytes than the request allows.
struct RequestUsage: Codable, Sendable, Equatable {
    struct Held: Codable, Sendable, Equatable {
        var bytes: Int64
        /// When the upload's id expires (seconds since 1970): after it the upload cannot be completed or handed over.
        var expiresAt: Int64
        var submitted: Bool
    }

    /// Upload key → what it holds.
    var uploads: [String: Held] = [:]
    /// Submissions made so far.
    var submissions = 0

    var files: Int { uploads.count }
    var bytes: Int64 { uploads.values.reduce(0) { $0 + $1.bytes } }
}
