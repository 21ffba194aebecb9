import ArgumentParser
import CurlHTTP
import DropgateAPI
import DropgateClient
import Foundation
import Gateway
import HTTPWire

/// `dropgate shares`: the signed-in user's shares, newest first, as `/me` lists them on every device.
struct SharesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shares", abstract: "List your shares (signed in with dropgate login, or a personal token with the shares scope).")

    @Option(help: "The gateway's URL (default: DROPGATE_URL, else http://localhost:5001).")
    var gateway: String?

    @Option(help: "A personal token with the shares scope (default: DROPGATE_TOKEN, else the one dropgate login kept).")
    var token: String?

    @Option(help: "The page, from 1 (20 shares a page).")
    var page = 1

    @Flag(help: "Print the page as the gateway's JSON.")
    var json = false

    func validate() throws {
        guard (1...10_001).contains(page) else { throw ValidationError("--page must be from 1 to 10001.") }
    }

    func run() throws {
        let account = try AccountRequest(gateway: gateway, token: token)
        let body = try account.send("GET", "/api/me/shares?page=\(page - 1)")
        if json {
            FileHandle.standardOutput.write(Data(body))
            print()
            return
        }
        let listed = try APIJSON.decode(OwnedShares.self, from: body)
        if listed.shares.isEmpty { print(page == 1 ? "No shares yet." : "No shares on page \(page).") }
        for share in listed.shares { print(Self.line(share)) }
        if let next = listed.nextPage { print("\(CommandLineNumbers.words(listed.total)) shares in all; --page \(next + 1) for more.") }
    }

    /// One share on one line: its link, then its name, size, downloads, expiry and state.
    static func line(_ share: OwnedShare) -> String {
        let count = CommandLineNumbers.words(share.downloads)
        let downloads = share.maxDownloads.map { "\(count)/\(CommandLineNumbers.words($0)) downloads" } ?? "\(count) downloads"
        let state = share.unavailable ?? "expires \(CommandLineDates.words(share.expiresAt))"
        let extras = (share.password ? ", password" : "") + (share.encrypted ? ", encrypted" : "")
        return "\(share.url)  \(share.title)  \(SizeText.words(share.size, language: SizeText.language()))  \(downloads)  \(state)\(extras)"
    }
}
