import ArgumentParser
import Crypto
import CurlHTTP
import DropgateAPI
import DropgateClient
import EndToEnd
import Foundation
import Gateway
import Glibc
import HTTPWire
import S3Client
import S3Common

/// `dropgate upload FILE…`: uploads through a gateway (straight to the store), prints each share link.
struct UploadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Upload files through a Dropgate gateway and print their share link.",
        discussion: """
            The files share one link, printed last: the link, two spaces, the files' names. With --separate each file \
            gets its own link, one line each. Delete tokens are kept for dropgate revoke. A big file's upload that \
            stopped (network, Ctrl-C) continues where it stopped when the same command runs again.
            """
    )

    @Argument(help: "The files to upload; a folder's files share one link and keep their folders.")
    var files: [String] = []

    @Flag(help: "Share the text read from standard input (UTF-8, at most 10 MB), as text.txt, with the files if any.")
    var text = false

    @Flag(help: "With --text, share it as Markdown (text.md): its page draws it from a safe subset.")
    var markdown = false

    @Option(help: "The gateway's URL (default: DROPGATE_URL, else http://localhost:5001).")
    var gateway: String?

    @Option(help: "An upload token, when the gateway requires one (default: DROPGATE_TOKEN, else the one dropgate login kept).")
    var token: String?

    @Option(help: "How long the share lives: seconds, or a number with s, m, h, d or w (7d).")
    var expires: String?

    @Option(help: "Downloads allowed of each file.")
    var maxDownloads: Int?

    @Option(help: "A password the share's page asks for (visible to other users of this machine: prefer --password-prompt).")
    var password: String?

    @Flag(help: "Ask for the share's password without echoing it.")
    var passwordPrompt = false

    @Option(help: "A custom link, /s/NAME: 3 to 64 letters, digits and single hyphens (the gateway refuses a taken one).")
    var link: String?

    @Flag(help: "A readable link of random words (12, or 6 with a password), besides the random one.")
    var wordLink = false

    @Flag(help: "Burn after reading: each file may be downloaded once, then the link answers 410.")
    var burn = false

    @Flag(help: "One share per file, each with its own link.")
    var separate = false

    @Flag(help: "Encrypt end to end: the gateway and the store get only ciphertext; the key is in the link after #k=.")
    var encrypt = false

    @Option(help: "The Content-Type of every file (default: from the file's extension).")
    var contentType: String?

    @Option(help: "Parts uploaded at once for big files (default: what the gateway's plan says).")
    var parallel: Int?

    @Option(help: "Send each part at most this fast, in bytes a second (500K, 2M).")
    var limitRate: String?

    @Option(help: "Mail the link to these addresses, separated by commas (where the gateway sends mail).")
    var mailTo: String?

    @Option(help: "With --mail-to, a message to go with the link.")
    var mailMessage: String?

    func validate() throws {
        if password != nil, passwordPrompt { throw ValidationError("--password and --password-prompt: choose one.") }
        if let maxDownloads, maxDownloads < 1 { throw ValidationError("--max-downloads must be at least 1.") }
        if let parallel, !(1...16).contains(parallel) { throw ValidationError("--parallel must be from 1 to 16.") }
        if let limitRate, Self.parseRate(limitRate) == nil {
            throw ValidationError("--limit-rate must be bytes a second, with K, M or G for thousands (500K, 2M); got '\(limitRate)'.")
        }
        if let expires { _ = try Self.parseDuration(expires) }
        if markdown, !text { throw ValidationError("--markdown goes with --text.") }
        if files.isEmpty, !text { throw ValidationError("Name the files to upload, or pass --text to share what standard input holds.") }
        if mailTo != nil, encrypt {
            throw ValidationError("--mail-to cannot send an encrypted share's key (it never reaches the gateway): send the link yourself.")
        }
        if mailMessage != nil, mailTo == nil { throw ValidationError("--mail-message goes with --mail-to.") }
        if link != nil, wordLink { throw ValidationError("--link and --word-link: choose one.") }
        if link != nil || wordLink, separate { throw ValidationError("--link and --word-link name one share; leave out --separate.") }
        if burn, maxDownloads != nil { throw ValidationError("--burn allows one download of each file; leave out --max-downloads.") }
    }

    func run() throws {
        let typed = try text ? TypedText.fromStandardInput(markdown: markdown) : nil
        defer { typed?.remove() }
        let found = try FolderWalk.expand(files) + (typed.map { [FolderWalk.Found(path: $0.path, folder: nil)] } ?? [])
        let files = found.map(\.path)
        let folders = Dictionary(found.map { ($0.path, $0.folder) }, uniquingKeysWith: { first, _ in first })
        let environment = ProcessInfo.processInfo.environment
        var base = gateway ?? environment["DROPGATE_URL"] ?? "http://localhost:5001"
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else { throw CLIError("--gateway must be an http(s) URL; got '\(base)'.") }
        let expiresIn = try expires.map(Self.parseDuration)
        for file in files where !FileManager.default.isReadableFile(atPath: file) { throw CLIError("Cannot read \(file).") }
        let terms = ShareRequest(
            expiresIn: expiresIn.map(Int64.init), maxDownloads: maxDownloads.map(Int64.init), password: try password ?? askPassword(),
            link: link, wordLink: wordLink ? true : nil, burnAfterReading: burn ? true : nil)
        let client = WebClient(maxSendRate: limitRate.flatMap(Self.parseRate))
        let limits: UploadLimits
        do {
            limits = try GatewayUploader.limits(base: base, client: client)
        } catch {
            FileHandle.standardError.write(Data("dropgate: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let uploader = GatewayUploader(
            base: base, token: try token ?? environment["DROPGATE_TOKEN"] ?? SavedLogins().token(for: base), client: client, parallel: parallel,
            progress: ProgressBar(enabled: isatty(STDERR_FILENO) == 1), hashLimit: limits.hashLimit, journal: UploadJournal())
        let journal = UploadJournal()
        if encrypt { UploadItem.removeAbandonedTemporaries() }
        // An interrupted encrypted run left its key in the journal: sealing with it again gives the same bytes (for a
        // file whose bytes changed, `item` picks a fresh prefix, so the key never seals other bytes under a used nonce).
        let keptKey = encrypt && !separate ? files.lazy.compactMap { journal.sealing(for: $0, gateway: base) }.first?.key : nil
        let batchKey = keptKey.flatMap { Base64URL.decode($0) }.map { SymmetricKey(data: $0) } ?? ShareKey.random()
        var verified: [Shared] = []
        var lines: [String] = []
        var failures = 0
        for file in files {
            let name = (file as NSString).lastPathComponent
            do {
                let key =
                    separate
                    ? (journal.sealing(for: file, gateway: base).flatMap { Base64URL.decode($0.key) }.map { SymmetricKey(data: $0) }
                        ?? ShareKey.random()) : batchKey
                let type = contentType ?? MediaTypeTable.guess(forFilename: name)
                let item = try item(file, type: type, number: separate ? 2 : verified.count + 2, key: key, journal: journal, base: base)
                defer { item.removeTemporary() }
                let done = try uploader.verify(item, expiresIn: expiresIn)
                let folder = folders[file] ?? nil
                let entry = Shared(
                    name: name, receipt: done.receipt,
                    manifestEntry: Manifest.File(name: name, type: type, size: try Self.size(of: file), folder: folder),
                    folder: folder)
                if separate {
                    lines.append(try share([entry], uploader: uploader, terms: terms, key: key))
                } else {
                    verified.append(entry)
                }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("dropgate: \(file): \(error)\n".utf8))
            }
        }
        if !verified.isEmpty {
            do {
                lines.append(try share(verified, uploader: uploader, terms: terms, key: batchKey))
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("dropgate: sharing \(verified.map(\.name).joined(separator: ", ")): \(error)\n".utf8))
            }
        }
        for line in lines { print(line) }
        if failures > 0 { throw ExitCode(1) }
    }

    /// A verified file on its way into a share.
    struct Shared {
        var name: String
        var receipt: String
        var manifestEntry: Manifest.File
        /// The folder it sits in, for a file of a folder given on the command line.
        var folder: String?
    }

    /// What to send for `file`: the file, or with `--encrypt` its sealed form (with the prefix an interrupted run used).
    /// The prefix is the kept one only when the key is the kept one and the bytes sealed now are exactly the bytes
    /// sealed then (same SHA-256, taken while sealing): any other plaintext is sealed again under a fresh random prefix,
    /// and what it made under the used one is deleted unsent.
    func item(_ file: String, type: String, number: Int, key: SymmetricKey, journal: UploadJournal, base: String) throws -> UploadItem {
        guard encrypt else { return .plain(file, contentType: type) }
        let keyText = Base64URL.encode(key.withUnsafeBytes { Array($0) })
        if let kept = journal.sealing(for: file, gateway: base), kept.key == keyText, kept.plaintextSHA256 != nil,
            let prefix = Base64URL.decode(kept.prefix)
        {
            let again = try UploadItem.sealed(file, number: number, key: key, prefix: prefix)
            if again.sealing?.plaintextSHA256 == kept.plaintextSHA256 { return again }
            again.removeTemporary()  // other bytes under a used nonce: deleted here, never sent
        }
        return try .sealed(file, number: number, key: key, prefix: SealedHeader.random().prefix)
    }

    static func size(of path: String) throws -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CLIError("cannot read it: \(String(cString: strerror(errno)))") }
        return Int64(info.st_size)
    }

    /// Shares verified files under one link, keeps its delete token, and returns the line to print: the link, two
    /// spaces, the files' names. Encrypted, the sealed manifest goes first, and the link carries the key (or, with a
    /// password, the key is wrapped with it and the gateway is given PBKDF2's other half).
    func share(_ files: [Shared], uploader: GatewayUploader, terms: ShareRequest, key: SymmetricKey) throws -> String {
        var request = terms
        var receipts = files.map(\.receipt)
        var fragment = ""
        if encrypt {
            let manifest = try UploadItem.manifest(Manifest(files: files.map(\.manifestEntry)), key: key)
            defer { manifest.removeTemporary() }
            receipts.insert(try uploader.verify(manifest, expiresIn: terms.expiresIn.map { Int($0) }).receipt, at: 0)
            request.encrypted = true
            if let password = terms.password {
                let (wrap, access) = try KeyWrap.wrap(key, password: password)
                request.password = Base64URL.encode(access)
                request.keyWrap = wrap
                fragment = "#" + ShareKey.passwordWrapped
            } else {
                fragment = "#" + ShareKey.fragment(key)
            }
        }
        if !encrypt, files.contains(where: { $0.folder != nil }) { request.folders = files.map { $0.folder ?? "" } }
        let done = try uploader.share(receipts, terms: request)
        let names = files.map(\.name).joined(separator: ", ")
        let link = done.share.url + fragment
        do {
            try LocalShares().remember(done.share.url, .init(filename: names, deleteToken: done.deleteToken, expiresAt: done.expiresAt))
        } catch {
            FileHandle.standardError.write(Data("dropgate: \(names) is shared, but its delete token was not kept: \(error)\n".utf8))
        }
        if let mailTo {
            let recipients = mailTo.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let mailing = ShareMail(to: recipients, message: mailMessage)
            do {
                let headers: HTTPHeaders = [.init("Authorization", "Bearer \(done.deleteToken)")]
                _ = try uploader.call("POST", "/api/shares/\(done.share.id)/mail", mailing, answer: MailQueued.self, headers: headers)
                FileHandle.standardError.write(Data("dropgate: the link is on its way to \(recipients.joined(separator: ", ")).\n".utf8))
            } catch {
                throw CLIError("\(names) is shared at \(link), but the mail was not sent: \(error)")
            }
        }
        return "\(link)  \(names)"
    }

    struct MailQueued: Decodable {
        var queued: Int
    }

    /// The password from `--password-prompt`, read from the terminal without echo; nil without the flag.
    func askPassword() throws -> String? {
        guard passwordPrompt else { return nil }
        guard let entered = getpass("Password for the share: ") else { throw CLIError("--password-prompt needs a terminal to ask on.") }
        let password = String(cString: entered)
        guard !password.isEmpty else { throw CLIError("The password is empty; leave out --password-prompt for a share without one.") }
        return password
    }

    /// `500K`, `2M`, `1G` or a plain number of bytes a second.
    static func parseRate(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["k": 1_000, "m": 1_000_000, "g": 1_000_000_000]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let value = Int64(trimmed), value > 0 { return value }
        guard let unit = trimmed.last, let multiplier = units[unit], let value = Int64(trimmed.dropLast()), value > 0, value < 1_000_000
        else { return nil }
        return value * multiplier
    }

    /// `90`, `90s`, `15m`, `12h`, `7d`, `2w` in seconds.
    static func parseDuration(_ text: String) throws -> Int {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let value = Int(trimmed), value > 0 { return value }
        guard let unit = trimmed.last, let multiplier = units[unit], let value = Int(trimmed.dropLast()), value > 0 else {
            throw CLIError("--expires must be a number of seconds or a number with s, m, h, d or w, such as 7d; got '\(text)'.")
        }
        let (seconds, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw CLIError("--expires is far too long; got '\(text)'.") }
        return seconds
    }
}
