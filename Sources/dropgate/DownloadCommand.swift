import ArgumentParser
import Crypto
import CurlHTTP
import DropgateAPI
import DropgateClient
import EndToEnd
import Foundation
import Glibc
import HTTPWire

/// `dropgate download LINK [-o PATH]`: fetches a share's files, decrypting an end-to-end encrypted one (its key from
/// the link's `#k=`, or unwrapped with the password) and checking every record, with memory bounded by one record.
struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download", abstract: "Download a share's files, decrypting an end-to-end encrypted one.",
        discussion: "Files are written under their own names into the current folder (or PATH), never over an existing file.")

    @Argument(help: "The share link, with its #k=… for an encrypted share (quote it in the shell).")
    var link: String

    @Option(name: .shortAndLong, help: "A folder to write into, or for a one-file share the file to write.")
    var output: String?

    @Option(help: "Write the share as one ZIP archive at this path (its folders kept), instead of its files.")
    var zip: String?

    @Option(help: "The share's password.")
    var password: String?

    @Flag(help: "Ask for the share's password without echoing it.")
    var passwordPrompt = false

    func validate() throws {
        if password != nil, passwordPrompt { throw ValidationError("--password and --password-prompt: choose one.") }
        if zip != nil, output != nil { throw ValidationError("--zip and --output: choose one.") }
        guard ShareLinkParts(link) != nil else { throw ValidationError("'\(link)' is not a share link (http(s)://…/s/<id>).") }
    }

    func run() throws {
        guard let parts = ShareLinkParts(link) else { throw CLIError("'\(link)' is not a share link.") }
        let client = WebClient()
        let fetcher = ShareFetcher(base: parts.base, id: parts.id, client: client)
        let info = try fetcher.unlockInfo()
        var cookie: String?
        var wrapPassword: String?
        if info.passwordRequired {
            let given: String
            if let password {
                given = password
            } else {
                guard let entered = getpass("Password of the share: ") else {
                    throw CLIError("This share has a password: pass --password or --password-prompt.")
                }
                given = String(cString: entered)
            }
            var secret = given
            if let salt = info.salt, let iterations = info.iterations, let saltBytes = Base64URL.decode(salt) {
                secret = Base64URL.encode(try KeyWrap.derive(password: given, salt: saltBytes, iterations: iterations).access)
                wrapPassword = given
            } else if ShareKey.isPasswordWrapped(link: link) {
                // The link says encrypted: the password itself would unwrap the key, so it never goes to the gateway.
                throw CLIError(
                    "This link is to an encrypted share, but the gateway gave no salt for its password: refusing to send the password.")
            }
            cookie = try fetcher.unlock(secret)
        }
        let facts = try fetcher.facts(cookie: cookie)
        let files: [(number: Int, name: String, size: Int64, folder: String?)]
        var key: SymmetricKey?
        if facts.encrypted == true {
            if let wrap = facts.keyWrap, let wrapPassword {
                key = try wrap.unwrap(password: wrapPassword).key
            } else {
                key = ShareKey.parse(link: link)
            }
            guard let key else { throw CLIError("This share is encrypted end to end, and the link has no key (#k=…): use the whole link.") }
            let manifestBytes = try fetcher.manifest(key: key, cookie: cookie)
            guard let manifest = Manifest.parse(manifestBytes), manifest.files.count == (facts.files?.count ?? 0) - 1 else {
                throw CLIError("The share's list of files is not readable.")
            }
            files = manifest.files.enumerated().map { ($0.offset + 2, $0.element.name, $0.element.size, $0.element.folder) }
        } else {
            files = (facts.files ?? []).enumerated().map { ($0.offset + 1, $0.element.filename, $0.element.size, $0.element.folder) }
        }
        // Every folder is checked before anything is written: a share that names a bad one gets nothing on disk.
        let tree = try ShareTree(files: files.map { ($0.name, $0.folder) })
        if let zip {
            try ShareArchive.write(to: zip, entries: tree.entries) { index, scratch in
                try fetcher.download(files[index].number, to: scratch, key: key, expectedSize: files[index].size, cookie: cookie)
            }
            print(zip)
            return
        }
        let targets = try tree.hasFolders ? treePaths(tree) : OutputPaths(output: output, names: files.map(\.name)).paths
        for (file, target) in Swift.zip(files, targets) {
            try fetcher.download(file.number, to: target, key: key, expectedSize: file.size, cookie: cookie)
            print(target)
        }
    }
}

extension DownloadCommand {
    /// Where each file of a share with folders goes: its folders under `-o FOLDER` (made when missing) or here.
    func treePaths(_ tree: ShareTree) throws -> [String] {
        let folder = output ?? FileManager.default.currentDirectoryPath
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try tree.paths(under: folder)
    }
}

/// The base URL, share id and fragment of a share link.
struct ShareLinkParts {
    var base: String
    var id: String

    init?(_ link: String) {
        guard let (base, id) = RevokeCommand.parse(link) else { return nil }
        self.base = base
        self.id = id
    }
}
