import ArgumentParser
import CurlHTTP
import DropgateAPI
import DropgateClient
import Foundation

/// `dropgate revoke LINK…`: revokes shares this user uploaded (their delete tokens are in ``LocalShares``), or any
/// share with `--token`. The link then answers 410 and the objects are deleted.
struct RevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke shares: their links answer 410 and their files are deleted.",
        discussion: "Delete tokens of the shares dropgate upload made are kept in ~/.local/share/dropgate/shares.json (or DROPGATE_SHARES_FILE).")

    @Argument(help: "The share links, as dropgate upload printed them.")
    var links: [String]

    @Option(help: "The delete token, for a share this machine did not upload (one link only).")
    var token: String?

    func validate() throws {
        if token != nil, links.count != 1 { throw ValidationError("--token goes with exactly one link.") }
    }

    func run() throws {
        let local = LocalShares()
        var kept = try local.load()
        let client = WebClient()
        var failures = 0
        for link in links {
            guard let (base, id) = Self.parse(link) else { throw CLIError("'\(link)' is not a share link (http(s)://…/s/<id>).") }
            let stored = "\(base)/s/\(id)"  // kept without the fragment: the key is not needed to revoke
            guard let deleteToken = token ?? kept[stored]?.deleteToken ?? kept[link]?.deleteToken else {
                throw CLIError("No delete token for \(link) in \(local.path): pass --token.")
            }
            let response = try client.request(
                method: "DELETE", url: "\(base)/api/shares/\(id)", headers: [.init("Authorization", "Bearer \(deleteToken)")])
            switch response.status {
            case 204:
                print("revoked \(link)")
                kept[stored] = nil
                kept[link] = nil
            default:
                failures += 1
                let message =
                    (try? APIJSON.decode(APIErrorBody.self, from: response.body))?.error.message ?? "the gateway answered \(response.status)"
                FileHandle.standardError.write(Data("dropgate: \(link): \(message)\n".utf8))
                if response.status == 404 {
                    kept[stored] = nil
                    kept[link] = nil
                }
            }
        }
        try local.save(kept)
        if failures > 0 { throw ExitCode(1) }
    }

    /// The gateway's base URL and the share's name (its id or readable link) of `http(s)://host/…/s/<name>`, with or
    /// without its `#fragment` (an encrypted share's key, which never leaves this machine). Parsed as a URL: a query,
    /// user info or any other scheme is refused.
    static func parse(_ link: String) -> (base: String, id: String)? {
        guard var url = URLComponents(string: link), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.query == nil
        else { return nil }
        let path = url.percentEncodedPath
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let id = path[path.index(after: slash)...]
        let prefix = path[..<slash]
        guard prefix.hasSuffix("/s"), ShareLinkID.isValid(id) || ReadableLink.isWellFormed(id) else { return nil }
        url.percentEncodedPath = String(prefix.dropLast(2))
        url.fragment = nil
        guard let base = url.string else { return nil }
        return (base, String(id))
    }
}
