import ArgumentParser
import DropgateAPI
import DropgateClient
import EndToEnd
import Foundation

/// `dropgate request create`: makes a request and prints its link (and, made without signing in, its owner token).
struct RequestCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Make a file request and print its link.")

    @Option(help: "What senders see as the request's name.")
    var title: String

    @Option(help: "A note shown to senders.")
    var note: String?

    @Option(help: "The most files all senders may send together (default 20).")
    var maxFiles: Int?

    @Option(help: "The most bytes all senders may send together: a number, or with K, M or G (2G).")
    var maxBytes: String?

    @Option(help: "The most bytes one file may have (500M).")
    var maxFileBytes: String?

    @Option(help: "The media types senders may send, separated by commas (image/*,application/pdf).")
    var types: String?

    @Option(help: "How long it takes files: seconds, or a number with s, m, h, d or w (7d).")
    var expires: String?

    @Flag(help: "Close the request after its first submission.")
    var once = false

    @Flag(help: "Encrypt to you: senders encrypt every file to a key made here, kept only on this machine (mode 0600).")
    var encrypt = false

    @Flag(help: "With --encrypt, a P-256 key instead of X25519 (for senders whose browsers lack X25519).")
    var p256 = false

    @Option(help: "The gateway's URL (default: DROPGATE_URL, else http://localhost:5001).")
    var gateway: String?

    @Option(help: "A personal token (default: DROPGATE_TOKEN, else the one dropgate login kept); without one, you get an owner token.")
    var token: String?

    func validate() throws {
        for (name, value) in [("--max-bytes", maxBytes), ("--max-file-bytes", maxFileBytes)] {
            if let value, UploadCommand.parseRate(value) == nil {
                throw ValidationError("\(name) must be bytes, with K, M or G for thousands (500M, 2G); got '\(value)'.")
            }
        }
        if let expires { _ = try UploadCommand.parseDuration(expires) }
        if p256, !encrypt { throw ValidationError("--p256 chooses the key of --encrypt: add --encrypt.") }
    }

    func run() throws {
        let account = try AccountRequest(gateway: gateway, token: token, required: false)
        let input = FileRequestCreate(
            title: title, note: note, maxFiles: maxFiles, maxBytes: maxBytes.flatMap(UploadCommand.parseRate),
            maxFileBytes: maxFileBytes.flatMap(UploadCommand.parseRate),
            allowedTypes: types.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
            expiresIn: try expires.map { Int64(try UploadCommand.parseDuration($0)) }, multiple: once ? false : nil)
        let key = encrypt ? OwnerKey.generate(p256 ? .p256 : .x25519) : nil
        var terms = input
        terms.encryption = key.map { RequestEncryption(publicKey: $0.publicKey) }
        let made = try APIJSON.decode(FileRequestCreated.self, from: try account.send("POST", "/api/requests", json: try APIJSON.encode(terms)))
        guard let key else {
            print(made.request.url)
            if let owner = made.ownerToken { print("owner token (shown once; dropgate request show --token it): \(owner)") }
            return
        }
        let keys = RequestKeys()
        do {
            try keys.save(key, request: made.request.id)
        } catch {
            // A request whose key is lost takes files nobody can open: close it at once.
            let closer = try AccountRequest(gateway: gateway, token: made.ownerToken ?? token, required: false)
            _ = try? closer.send("POST", "/api/requests/\(made.request.id)/close")
            throw CLIError("\(error) The request was closed: nobody could have opened what it took.")
        }
        print("\(made.request.url)#\(OwnerFragment.fragment(key.publicKey))")
        print("key fingerprint: \(try OwnerFragment.fingerprint(key.publicKey)); its private key is in \(keys.path)")
        if let owner = made.ownerToken {
            print("owner token (shown once; dropgate request show --token it): \(owner)")
        }
    }
}
