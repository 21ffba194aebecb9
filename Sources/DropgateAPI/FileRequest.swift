import Foundation

/// `POST /api/requests`: a file request, a link that lets others upload to its owner within its caps.
public struct FileRequestCreate: Codable, Sendable, Equatable {
    /// Shown to senders, 1 to 200 characters.
    public var title: String?
    /// A note shown to senders, up to 2,000 characters.
    public var note: String?
    /// The most files all senders may upload together.
    public var maxFiles: Int?
    /// The most bytes all senders may upload together.
    public var maxBytes: Int64?
    /// The most bytes one file may have.
    public var maxFileBytes: Int64?
    /// Media types senders may upload (`image/*`, `application/pdf`); none means any the gateway takes.
    public var allowedTypes: [String]?
    /// Seconds until the request stops taking files.
    public var expiresIn: Int64?
    /// False for a request that closes after its first submission.
    public var multiple: Bool?
    /// A password senders must give before they upload.
    public var password: String?
    /// True to be told of each submission: each is recorded as a `request.submitted` event, once, for notices to deliver.
    public var notify: Bool?
    /// Encrypted to the owner: senders' files are sealed, and their keys wrapped, to this key.
    public var encryption: RequestEncryption?

    public init(
        title: String? = nil, note: String? = nil, maxFiles: Int? = nil, maxBytes: Int64? = nil, maxFileBytes: Int64? = nil,
        allowedTypes: [String]? = nil, expiresIn: Int64? = nil, multiple: Bool? = nil, password: String? = nil, notify: Bool? = nil,
        encryption: RequestEncryption? = nil
    ) {
        self.encryption = encryption
        self.password = password
        self.notify = notify
        self.title = title
        self.note = note
        self.maxFiles = maxFiles
        self.maxBytes = maxBytes
        self.maxFileBytes = maxFileBytes
        self.allowedTypes = allowedTypes
        self.expiresIn = expiresIn
        self.multiple = multiple
    }

    public static let shape = StrictJSON.Shape.object([
        "title": .value, "note": .value, "maxFiles": .value, "maxBytes": .value, "maxFileBytes": .value, "allowedTypes": .value,
        "expiresIn": .value, "multiple": .value, "password": .value, "notify": .value,
        "encryption": RequestEncryption.shape,
    ])
}

/// A file request as a sender sees it: what it asks for and what is left.
public struct FileRequestInfo: Codable, Sendable, Equatable {
    public var id: String
    /// The link senders open.
    public var url: String
    public var title: String
    public var note: String?
    public var maxFiles: Int
    public var maxBytes: Int64
    public var maxFileBytes: Int64
    public var allowedTypes: [String]
    public var expiresAt: Date
    public var multiple: Bool
    /// Files and bytes senders may still upload (counting uploads under way).
    public var filesLeft: Int
    public var bytesLeft: Int64
    /// Why it takes no more files, when it does not (closed, expired, full).
    public var closed: String?
    /// True when senders give a password first (`POST /api/requests/{id}/unlock`).
    public var passwordRequired: Bool?
    /// The owner's public key, when the request is encrypted to its owner. A sender's page trusts the key in the
    /// link's fragment, not this one (a gateway could swap it), and refuses when they differ.
    public var publicKey: OwnerPublicKey?

    public init(
        id: String, url: String, title: String, note: String?, maxFiles: Int, maxBytes: Int64, maxFileBytes: Int64, allowedTypes: [String],
        expiresAt: Date, multiple: Bool, filesLeft: Int, bytesLeft: Int64, closed: String?, passwordRequired: Bool? = nil,
        publicKey: OwnerPublicKey? = nil
    ) {
        self.publicKey = publicKey
        self.passwordRequired = passwordRequired
        self.id = id
        self.url = url
        self.title = title
        self.note = note
        self.maxFiles = maxFiles
        self.maxBytes = maxBytes
        self.maxFileBytes = maxFileBytes
        self.allowedTypes = allowedTypes
        self.expiresAt = expiresAt
        self.multiple = multiple
        self.filesLeft = filesLeft
        self.bytesLeft = bytesLeft
        self.closed = closed
    }
}

/// The answer to `POST /api/requests`: the request, and for a request made without an account the owner token that
/// manages it (shown this once).
public struct FileRequestCreated: Codable, Sendable, Equatable {
    public var request: FileRequestInfo
    public var ownerToken: String?

    public init(request: FileRequestInfo, ownerToken: String?) {
        self.request = request
        self.ownerToken = ownerToken
    }
}

/// `POST /api/requests/{id}/submissions`: a sender hands over their verified uploads.
public struct FileSubmissionRequest: Codable, Sendable, Equatable {
    /// Receipts of uploads declared with `POST /api/requests/{id}/uploads` and completed with `"collection": true`.
    public var files: [String]?
    /// Who sends, as the sender typed it (optional, up to 200 characters each).
    public var name: String?
    public var email: String?
    /// Encrypted requests: the submission's share key wrapped to the owner, and the sealed manifest (base64url of a
    /// DGE1 file, at most 64 KiB) naming its files in order.
    public var keyWrap: OwnerWrappedKey?
    public var manifest: String?

    public init(files: [String]?, name: String? = nil, email: String? = nil, keyWrap: OwnerWrappedKey? = nil, manifest: String? = nil) {
        self.files = files
        self.name = name
        self.email = email
        self.keyWrap = keyWrap
        self.manifest = manifest
    }

    public static let shape = StrictJSON.Shape.object([
        "files": .value, "name": .value, "email": .value, "keyWrap": OwnerWrappedKey.shape, "manifest": .value,
    ])
}

/// One submission, as its sender's receipt and in the owner's view.
public struct FileSubmission: Codable, Sendable, Equatable {
    public var id: String
    public var at: Date
    public var name: String?
    public var email: String?
    public var files: [SubmittedFile]
    /// Encrypted requests: what the owner opens the files with (see ``FileSubmissionRequest``).
    public var keyWrap: OwnerWrappedKey?
    public var manifest: String?

    public init(
        id: String, at: Date, name: String?, email: String?, files: [SubmittedFile], keyWrap: OwnerWrappedKey? = nil, manifest: String? = nil
    ) {
        self.keyWrap = keyWrap
        self.manifest = manifest
        self.id = id
        self.at = at
        self.name = name
        self.email = email
        self.files = files
    }
}

/// A submitted file: verified like any upload (size, type, magic bytes, scan).
public struct SubmittedFile: Codable, Sendable, Equatable {
    public var name: String
    public var size: Int64
    public var contentType: String
    /// The owner's download link (a gateway URL that redirects to a fresh presigned GET); absent in a sender's receipt.
    public var url: String?

    public init(name: String, size: Int64, contentType: String, url: String?) {
        self.name = name
        self.size = size
        self.contentType = contentType
        self.url = url
    }
}

/// `GET /api/requests/{id}` for its owner: the request and every submission.
public struct FileRequestDetail: Codable, Sendable, Equatable {
    public var request: FileRequestInfo
    public var submissions: [FileSubmission]
    /// Encrypted requests made in a browser: the owner's private key, sealed with their passphrase.
    public var sealedPrivateKey: WrappedKey?

    public init(request: FileRequestInfo, submissions: [FileSubmission], sealedPrivateKey: WrappedKey? = nil) {
        self.sealedPrivateKey = sealedPrivateKey
        self.request = request
        self.submissions = submissions
    }
}

/// `GET /api/me/requests`: the signed-in user's file requests, newest first.
public struct FileRequestList: Codable, Sendable, Equatable {
    public var requests: [FileRequestInfo]

    public init(requests: [FileRequestInfo]) { self.requests = requests }
}

/// `POST /api/requests/{id}/unlock`: the request's password, as a sender typed it.
public struct RequestUnlock: Codable, Sendable, Equatable {
    public var password: String?

    public init(password: String?) { self.password = password }

    public static let shape = StrictJSON.Shape.object(["password": .value])
}

/// The answer to an unlock: a pass the sender's uploads and submission carry as `X-Request-Pass`.
public struct RequestPass: Codable, Sendable, Equatable {
    public var pass: String
    public var expiresAt: Date

    public init(pass: String, expiresAt: Date) {
        self.pass = pass
        self.expiresAt = expiresAt
    }
}
