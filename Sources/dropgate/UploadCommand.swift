import ArgumentParser
import CurlHTTP
import DropgateAPI
import Foundation
import Gateway
import Glibc
import S3Client
import S3Common

/// `dropgate upload FILE…`: uploads through a gateway (straight to the store), prints each share link.
struct UploadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Upload files through a Dropgate gateway and print their share links.",
        discussion:
            "Big files go in parallel parts. The last lines printed are one per file, in order: the share link, two spaces, the file's name. Delete tokens are kept for dropgate revoke."
    )

    @Argument(help: "The files to upload.")
    var files: [String]

    @Option(help: "The gateway's URL (default: DROPGATE_URL, else http://localhost:5001).")
    var gateway: String?

    @Option(help: "An upload token, when the gateway requires one (default: DROPGATE_TOKEN).")
    var token: String?

    @Option(help: "How long the share lives: seconds, or a number with s, m, h, d or w (7d).")
    var expires: String?

    @Option(help: "The Content-Type of every file (default: from the file's extension).")
    var contentType: String?

    @Option(help: "Parts uploaded at once for big files (default: what the gateway's plan says).")
    var parallel: Int?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var base = gateway ?? environment["DROPGATE_URL"] ?? "http://localhost:5001"
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else { throw CLIError("--gateway must be an http(s) URL; got '\(base)'.") }
        let expiresIn = try expires.map(Self.parseDuration)
        if let parallel, !(1...16).contains(parallel) { throw CLIError("--parallel must be from 1 to 16.") }
        for file in files where !FileManager.default.isReadableFile(atPath: file) { throw CLIError("Cannot read \(file).") }
        let client = WebClient()
        let limits: UploadLimits
        do {
            limits = try GatewayUploader.limits(base: base, client: client)
        } catch {
            FileHandle.standardError.write(Data("dropgate: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let uploader = GatewayUploader(
            base: base, token: token ?? environment["DROPGATE_TOKEN"], client: client, parallel: parallel,
            progress: ProgressBar(enabled: isatty(STDERR_FILENO) == 1), hashLimit: limits.hashLimit)
        var links: [String] = []
        var failures = 0
        let local = LocalShares()
        for file in files {
            let name = (file as NSString).lastPathComponent
            do {
                let done = try uploader.upload(
                    path: file, contentType: contentType ?? MediaTypeTable.guess(forFilename: name), expiresIn: expiresIn)
                links.append("\(done.share.url)  \(name)")
                do {
                    try local.remember(done.share.url, .init(filename: name, deleteToken: done.deleteToken, expiresAt: done.expiresAt))
                } catch {
                    FileHandle.standardError.write(Data("dropgate: \(name) is shared, but its delete token was not kept: \(error)\n".utf8))
                }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("dropgate: \(file): \(error)\n".utf8))
            }
        }
        for link in links { print(link) }
        if failures > 0 { throw ExitCode(1) }
    }

    /// `90`, `90s`, `15m`, `12h`, `7d`, `2w` in seconds.
    static func parseDuration(_ text: String) throws -> Int {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let value = Int(trimmed), value > 0 { return value }
        guard let unit = trimmed.last, let multiplier = units[unit], let value = Int(trimmed.dropLast()), value > 0 else {
            throw CLIError("--expires must be a number of seconds or a number with s, m, h, d or w, such as 7d; got '\(text)'.")
        }
        return value * multiplier
    }
}
