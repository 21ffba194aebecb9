import ArgumentParser
import Crypto
import CurlHTTP
import DropgateAPI
import DropgateClient
import EndToEnd
import Foundation
import Gateway
import HTTPWire

/// `dropgate request send LINK FILE…`: sends files to someone's file request, as its page does: within its caps, and
/// for a request encrypted to its owner, sealed here to the key in the link's fragment (never to a key the gateway
/// names), with the share key wrapped to the owner.
struct RequestSendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Send files to a file request, from its link.")

    @Argument(help: "The request's link (with its #pk=… part when it is encrypted).")
    var link: String

    @Argument(help: "The files to send.")
    var files: [String]

    @Option(help: "Your name, shown to the request's owner.")
    var name: String?

    @Option(help: "Your email, shown to the request's owner.")
    var email: String?

    @Flag(help: "Ask for the request's password without echo.")
    var passwordPrompt = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one file to send.") }
    }

    func run() throws {
        guard let parts = URLComponents(string: link), let scheme = parts.scheme, ["http", "https"].contains(scheme), let host = parts.host else {
            throw CLIError("'\(link)' is not a file request's link (http(s)://…/r/<id>).")
        }
        let base = "\(scheme)://\(host.contains(":") ? "[\(host)]" : host)\(parts.port.map { ":\($0)" } ?? "")"
        let id = try requestID(link.split(separator: "#", maxSplits: 1).first.map(String.init) ?? link)
        for file in files where !FileManager.default.isReadableFile(atPath: file) { throw CLIError("Cannot read \(file).") }
        // No token goes with any call: the link's gateway is a stranger's, and a sender needs none.
        let client = WebClient()
        let limits = try GatewayUploader.limits(base: base, client: client)
        let anonymous = GatewayUploader(
            base: base, token: nil, client: client, parallel: nil, progress: ProgressBar(enabled: isatty(STDERR_FILENO) == 1),
            hashLimit: limits.hashLimit, journal: UploadJournal())
        let info = try anonymous.call("GET", "/api/requests/\(id)", String?.none, answer: FileRequestInfo.self)
        let ownerKey = try Self.ownerKey(link: link, published: info.publicKey)
        if let closed = info.closed { throw CLIError("This request takes no more files. \(closed)") }
        let pass = try info.passwordRequired == true ? unlock(anonymous, id: id) : nil
        let uploader = anonymous.toRequest(id, pass: pass)
        let key = ShareKey.random()
        var receipts: [String] = []
        var listed: [Manifest.File] = []
        for (index, file) in files.enumerated() {
            let fileName = (file as NSString).lastPathComponent
            let type = MediaTypeTable.guess(forFilename: fileName)
            let item =
                try ownerKey == nil
                ? .plain(file, contentType: type) : UploadItem.sealed(file, number: index + 1, key: key, prefix: SealedHeader.random().prefix)
            defer { item.removeTemporary() }
            do {
                receipts.append(try uploader.verify(item, expiresIn: nil).receipt)
            } catch {
                throw CLIError("\(file): \(error)")
            }
            listed.append(Manifest.File(name: fileName, type: type, size: try UploadCommand.size(of: file)))
        }
        var submission = FileSubmissionRequest(files: receipts, name: name, email: email)
        if let ownerKey {
            submission.keyWrap = try OwnerKeyWrap.wrap(key, to: ownerKey)
            let manifest = try APIJSON.encode(Manifest(files: listed))
            submission.manifest = Base64URL.encode(try SealedFile(key: key, header: .random()).seal(manifest))
        }
        let kept = try uploader.call("POST", "/api/requests/\(id)/submissions", submission, answer: FileSubmission.self)
        let words = ownerKey == nil ? "" : ", encrypted to its owner"
        print(
            "sent \(kept.files.count) file\(kept.files.count == 1 ? "" : "s") to \(info.title)\(words): \(listed.map(\.name).joined(separator: ", "))"
        )
    }

    /// The owner's key from the link's fragment, checked against the key the gateway names for the request: a link
    /// that carries a key never sends plaintext, and a gateway that names another key (or none) is refused.
    static func ownerKey(link: String, published: OwnerPublicKey?) throws -> OwnerPublicKey? {
        let fromLink = OwnerFragment.parse(link: link)
        if link.contains("#pk="), fromLink == nil { throw CLIError("The key in this link is not one dropgate reads: copy the whole link again.") }
        switch (fromLink, published) {
        case (nil, nil): return nil
        case (nil, .some):
            throw CLIError(
                "This request is encrypted to its owner, and this link lacks its key: use the whole link you were given, with the part after the #.")
        case (.some, nil):
            throw CLIError(
                "This link carries a key, but the gateway says the request is not encrypted: nothing was sent. Ask the person who sent it.")
        case (.some(let key), .some(let other)):
            guard key == other else {
                throw CLIError("The key in this link is not the key this request was made with: nothing was sent. Ask the person who sent it.")
            }
            return key
        }
    }

    /// The pass a request's password gives, asked without echo.
    func unlock(_ uploader: GatewayUploader, id: String) throws -> String {
        guard passwordPrompt else { throw CLIError("This request asks for a password: add --password-prompt.") }
        guard let entered = getpass("Password of the request: ") else { throw CLIError("--password-prompt needs a terminal to ask on.") }
        return try uploader.call("POST", "/api/requests/\(id)/unlock", RequestUnlock(password: String(cString: entered)), answer: RequestPass.self)
            .pass
    }
}
