import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

extension ShareService {
    /// `GET /oembed?url=<share link>&format=json`: the share's card as oEmbed (a `link`), for the chats and wikis that
    /// ask for one. Like the page's tags, it reads only the record and counts no download; a share behind a password or
    /// encrypted says only that files were shared. 404 for a link that is not a live share of this gateway.
    func oEmbed(_ request: HTTPRequest) throws -> HTTPResponse {
        if let format = request.queryValue("format"), format != "json" {
            throw GatewayError(501, .badRequest, "Only format=json is offered.")
        }
        guard let url = request.queryValue("url"), url.utf8.count <= 2_048 else {
            throw GatewayError.badRequest(.badRequest, "url must be the link of a share of this gateway.")
        }
        let prefix = publicBase + "/s/"
        var rest = url.hasPrefix(prefix) ? Substring(url.dropFirst(prefix.count)) : ""
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }  // an encrypted share's key is never needed
        let id = String(rest)
        let gone = GatewayError(404, .unknownShare, "There is no live share at \(url.utf8.count <= 200 ? url : "this link", as: "link").")
        guard ShareStore.isShareName(id), let record = try shares.load(id),
            record.unavailability(at: now()) == nil
        else { throw gone }
        let card = LinkCard(record, url: shareURL(record.linkName))
        var response = HTTPResponse.json(
            OEmbedLink(title: card.title, providerName: LinkCard.siteName, providerURL: publicBase + "/"), status: 200)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `GET /robots.txt`: crawlers may read share pages (which say `noindex`, so they stay out of search results, and
    /// link-card bots can still read them) but not the downloads, the API or the account pages.
    static let robots = HTTPResponse(
        status: 200, contentType: "text/plain; charset=utf-8",
        body: "User-agent: *\nDisallow: /s/*/raw\nDisallow: /api/\nDisallow: /auth/\nDisallow: /me\nDisallow: /admin\nDisallow: /oembed\n")
}

/// An oEmbed 1.0 `link` answer.
struct OEmbedLink: Encodable {
    var version = "1.0"
    var type = "link"
    var title: String
    var providerName: String
    var providerURL: String

    enum CodingKeys: String, CodingKey {
        case version, type, title
        case providerName = "provider_name"
        case providerURL = "provider_url"
    }
}
