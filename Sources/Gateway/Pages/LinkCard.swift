import Foundation
import HTTPServer
import HTTPWire

/// What a link to a share shows where it is pasted (OpenGraph and Twitter card tags, and the oEmbed answer), made
/// from the record alone: building it reads no file and counts no download. A share behind a password or encrypted
/// end to end gives away nothing of itself: its card says only that files were shared, and where.
struct LinkCard: Equatable {
    var title: String
    var description: String
    var url: String
    /// The thumbnail the owner lets the card show (``ShareService/cardImage(_:)``), if any.
    var image: String? = nil

    static let siteName = "Dropgate"

    init(_ record: ShareRecord, url: String, image: String? = nil) {
        self.url = url
        self.image = record.password != nil || record.encrypted == true ? nil : image
        if record.password != nil || record.encrypted == true {
            title = "Shared files"
            description = "Shared with \(Self.siteName)."
        } else {
            title = record.title
            let size = SizeText.words(record.size)  // in English: a card is read by bots, whatever language they ask
            description = record.files.count == 1 ? "\(size) · \(Self.siteName)" : "\(record.files.count) files, \(size) · \(Self.siteName)"
        }
    }

    /// The `<head>` tags, every value escaped.
    var tags: String {
        var pairs = [
            ("property", "og:type", "website"), ("property", "og:site_name", Self.siteName), ("property", "og:title", title),
            ("property", "og:description", description), ("property", "og:url", url),
            ("name", "twitter:card", image == nil ? "summary" : "summary_large_image"), ("name", "twitter:title", title),
            ("name", "twitter:description", description),
        ]
        if let image { pairs += [("property", "og:image", image), ("name", "twitter:image", image)] }
        let meta = pairs.map { "<meta \($0.0)=\"\($0.1)\" content=\"\(ViewPage.escape($0.2))\">" }
        let oembed = "/oembed?format=json&url=" + PercentEncoding.encode(url)
        let link = "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"\(ViewPage.escape(oembed))\" title=\"\(ViewPage.escape(title))\">"
        return (meta + [link]).joined(separator: "\n")
    }
}

extension ViewPage {
    /// `response`, a page made by ``page(title:body:)``, with `card`'s tags in its `<head>`.
    static func withCard(_ response: HTTPResponse, _ card: LinkCard) -> HTTPResponse {
        guard case .bytes(let bytes) = response.body, let html = String(validating: bytes, as: UTF8.self),
            let marker = html.range(of: cardMarker)
        else { return response }
        var carded = response
        carded.body = .bytes(Array(html.replacingCharacters(in: marker, with: card.tags).utf8))
        return carded
    }
}
