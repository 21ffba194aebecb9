import ArgumentParser
import CurlHTTP
import DropgateAPI
import DropgateClient
import Foundation
import Gateway

/// `dropgate edit LINK`: changes one of your shares' expiry, download limit or password, on every gateway at once.
struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change one of your shares: its expiry, download limit, password or files.")

    @Argument(help: "The share's link.")
    var link: String

    @Option(help: "The gateway's URL, when it is not the link's.")
    var gateway: String?

    @Option(help: "A personal token with the shares scope (default: DROPGATE_TOKEN, else the one dropgate login kept).")
    var token: String?

    @Option(help: "The share lives this long from now: seconds, or a number with s, m, h, d or w (30d).")
    var expires: String?

    @Option(help: "A new download limit (of each file).")
    var maxDownloads: Int?

    @Flag(help: "Lift the download limit.")
    var unlimited = false

    @Option(help: "A new password (visible to other users of this machine: prefer --password-prompt).")
    var password: String?

    @Flag(help: "Ask for the new password without echoing it.")
    var passwordPrompt = false

    @Flag(help: "Remove the password.")
    var clearPassword = false

    @Option(name: .customLong("add"), help: "A file to upload and add to the share (repeat for more).")
    var add: [String] = []

    @Option(name: .customLong("remove"), help: "A file to take out of the share, by its number from 1 (repeat for more).")
    var remove: [Int] = []

    func validate() throws {
        if [password != nil, passwordPrompt, clearPassword].filter({ $0 }).count > 1 {
            throw ValidationError("--password, --password-prompt and --clear-password: choose one.")
        }
        if maxDownloads != nil, unlimited { throw ValidationError("--max-downloads and --unlimited: choose one.") }
        if let maxDownloads, !(1...1_000_000).contains(maxDownloads) { throw ValidationError("--max-downloads must be from 1 to 1000000.") }
        if let expires { _ = try UploadCommand.parseDuration(expires) }
        if expires == nil, maxDownloads == nil, !unlimited, password == nil, !passwordPrompt, !clearPassword, add.isEmpty, remove.isEmpty {
            throw ValidationError(
                "Say what to change: --expires, --max-downloads, --unlimited, --password(-prompt), --clear-password, --add or --remove.")
        }
        if remove.contains(where: { $0 < 1 }) { throw ValidationError("--remove takes file numbers from 1.") }
        for file in add where !FileManager.default.isReadableFile(atPath: file) { throw ValidationError("Cannot read \(file).") }
    }

    func run() throws {
        guard let (linkBase, id) = RevokeCommand.parse(link) else { throw CLIError("'\(link)' is not a share link (http(s)://…/s/<id>).") }
        let account = try AccountRequest(gateway: gateway ?? linkBase, token: token)
        var change = ShareEditRequest(
            expiresIn: try expires.map { Int64(try UploadCommand.parseDuration($0)) }, maxDownloads: maxDownloads.map(Int64.init),
            unlimited: unlimited ? true : nil, password: password, clearPassword: clearPassword ? true : nil)
        if passwordPrompt {
            guard let entered = getpass("New password for the share: ") else { throw CLIError("--password-prompt needs a terminal to ask on.") }
            change.password = String(cString: entered)
            guard change.password?.isEmpty == false else { throw CLIError("The password is empty; use --clear-password to remove it.") }
        }
        if !remove.isEmpty { change.removeFiles = remove }
        if !add.isEmpty { change.addFiles = try receipts(base: account.base, token: account.token ?? "") }
        let body = try account.send("PATCH", "/api/shares/\(id)", json: try APIJSON.encode(change))
        print("changed " + SharesCommand.line(try APIJSON.decode(OwnedShare.self, from: body)))
    }

    /// Uploads each `--add` file and has the gateway verify it: their receipts, for the share to take.
    func receipts(base: String, token: String) throws -> [String] {
        let client = WebClient()
        let limits = try GatewayUploader.limits(base: base, client: client)
        let uploader = GatewayUploader(
            base: base, token: token, client: client, parallel: nil, progress: ProgressBar(enabled: isatty(STDERR_FILENO) == 1),
            hashLimit: limits.hashLimit, journal: UploadJournal())
        return try add.map { file in
            let name = (file as NSString).lastPathComponent
            do {
                return try uploader.verify(.plain(file, contentType: MediaTypeTable.guess(forFilename: name)), expiresIn: nil).receipt
            } catch {
                throw CLIError("\(file): \(error)")
            }
        }
    }
}
