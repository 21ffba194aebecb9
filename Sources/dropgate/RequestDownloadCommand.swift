import ArgumentParser
import Crypto
import CurlHTTP
import DropgateAPI
import DropgateClient
import EndToEnd
import Foundation
import Gateway
import HTTPWire

/// `dropgate request download ID`: every file senders handed over, a folder per submission, decrypted on the way when
/// the request is encrypted to its owner (with the key `request create --encrypt` kept, or one made on /me, opened
/// with its passphrase).
struct RequestDownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download", abstract: "Download what senders handed over to a request, a folder per submission.")

    @OptionGroup var target: RequestTarget

    @Option(name: [.short, .long], help: "The folder to write into (default: the current folder).")
    var output: String?

    @Flag(help: "Open the key of a request made encrypted on /me with its passphrase, asked without echo.")
    var passphrasePrompt = false

    func run() throws {
        let account = try target.account()
        let id = try target.id()
        let detail = try APIJSON.decode(FileRequestDetail.self, from: try account.send("GET", "/api/requests/\(id)/submissions"))
        let ownerKey = try detail.request.publicKey == nil ? nil : key(id: id, detail: detail)
        let folder = output ?? FileManager.default.currentDirectoryPath
        var count = 0
        for submission in detail.submissions {
            let (names, sizes, fileKey) = try contents(submission, ownerKey: ownerKey)
            let when = ISO8601DateFormatter().string(from: submission.at).replacingOccurrences(of: ":", with: "-")
            let who = submission.name ?? submission.email ?? "someone"
            let into = (folder as NSString).appendingPathComponent(OutputPaths.safeName("\(when) \(who)", number: count + 1)) + "/"
            let paths = try OutputPaths(output: into, names: names).paths
            for (index, file) in submission.files.enumerated() {
                guard let route = file.url else { throw CLIError("The gateway listed \(file.name) without its download route.") }
                let link = try APIJSON.decode(DownloadLink.self, from: try account.send("GET", route))
                let response = try FileDownload.save(to: paths[index], key: fileKey, expectedSize: sizes[index]) { take in
                    try account.client.stream(url: link.url, consumer: take)
                }
                guard (200..<300).contains(response.status) else { throw CLIError("The store answered \(response.status) for \(names[index]).") }
                print("\(paths[index])  \(SizeText.words(sizes[index], language: SizeText.language()))")
                count += 1
            }
        }
        if count == 0 { print("Nothing was handed over to \(detail.request.title) yet.") }
    }

    /// The owner's key: kept by this machine, or sealed at the gateway and opened with the passphrase.
    func key(id: String, detail: FileRequestDetail) throws -> OwnerKey {
        if !passphrasePrompt, let kept = try RequestKeys().key(request: id) { return kept }
        guard passphrasePrompt, let sealed = detail.sealedPrivateKey else {
            throw CLIError(
                "This request is encrypted to its owner, and this machine keeps no key for it: run this where dropgate request create --encrypt made it, or add --passphrase-prompt for one made on /me."
            )
        }
        guard let entered = getpass("Passphrase of the request's key: ") else { throw CLIError("--passphrase-prompt needs a terminal to ask on.") }
        do {
            return try OwnerKey(sealed: sealed, passphrase: String(cString: entered))
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// A submission's file names and sizes, and the key that opens its files (from its sealed manifest when encrypted).
    func contents(_ submission: FileSubmission, ownerKey: OwnerKey?) throws -> ([String], [Int64], SymmetricKey?) {
        guard let ownerKey else { return (submission.files.map(\.name), submission.files.map(\.size), nil) }
        guard let wrap = submission.keyWrap, let text = submission.manifest, let sealed = Base64URL.decode(text) else {
            throw CLIError("A submission of this encrypted request carries no key: the gateway left it out.")
        }
        let key: SymmetricKey
        let manifest: Manifest?
        do {
            key = try OwnerKeyWrap.unwrap(wrap, with: ownerKey)
            manifest = Manifest.parse(try SealedFile.open(sealed, key: key))
        } catch {
            throw CLIError("\(error)")
        }
        guard let manifest, manifest.files.count == submission.files.count else {
            throw CLIError("A submission's list of files does not match what the gateway lists: it was changed.")
        }
        return (manifest.files.map(\.name), manifest.files.map(\.size), key)
    }

    struct DownloadLink: Decodable {
        var url: String
    }
}
