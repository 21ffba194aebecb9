import Foundation
import HTTPServer

extension PageService {
    /// The language a request's pages are written in (see ``PageLanguage/negotiate(cookie:acceptLanguage:)``).
    static func language(of request: HTTPRequest) -> PageLanguage {
        PageLanguage.negotiate(cookie: request.headers["cookie"], acceptLanguage: request.headers["accept-language"])
    }

    /// Writes an HTML answer in the request's language (its markers replaced; see ``PageLocalizer``) and says that
    /// it varies with the language's sources. Anything else is left as it is.
    func localize(_ response: inout HTTPResponse, for request: HTTPRequest) {
        guard response.headers["content-type"]?.hasPrefix("text/html") == true, case .bytes(let bytes) = response.body,
            bytes.count <= StaticFiles.maximumBytes
        else { return }
        let here = Self.pageAddress(of: request)
        response.body = .bytes(localizer.localize(bytes: bytes, language: Self.language(of: request), here: here.utf8.count <= 2_048 ? here : "/"))
        response.headers.set("Vary", "Accept-Language, Cookie")
    }

    /// Where the language switcher returns to: the page's own address for a `GET`; for a page that answers a form
    /// (`POST /s/{id}/unlock` after a wrong password), the page the form is on (its action's last segment dropped), since
    /// following the switcher's link back is a `GET`.
    static func pageAddress(of request: HTTPRequest) -> String {
        guard request.method != "GET", request.method != "HEAD" else { return request.query.map { request.path + "?" + $0 } ?? request.path }
        guard let slash = request.path.lastIndex(of: "/"), slash != request.path.startIndex else { return "/" }
        return String(request.path[..<slash])
    }

    /// `GET /language?to=de&back=/s/…`: the switcher's choice, kept a year in the `dg_lang` cookie, then back to the
    /// page it was made on (a path of this site only). 400 for a language the pages are not written in.
    func chooseLanguage(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let chosen = request.queryValue("to").flatMap(PageLanguage.init(rawValue:)) else {
            throw GatewayError.badRequest(
                .badRequest, "to must be one of: \(PageLanguage.allCases.map(\.rawValue).joined(separator: ", "), as: "choices").")
        }
        var response = HTTPResponse(status: 303)
        response.headers.set("Location", Self.localPath(request.queryValue("back")))
        response.headers.set("Set-Cookie", "\(PageLanguage.cookieName)=\(chosen.rawValue); Path=/; Max-Age=31536000; SameSite=Lax")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `back` when it is a path of this site (one `/`, no scheme, host, backslash or control character, at most 2 KiB),
    /// else `/`: the switcher can send no one elsewhere.
    static func localPath(_ back: String?) -> String {
        guard let back, back.utf8.count <= 2_048, back.hasPrefix("/"), !back.hasPrefix("//"),
            !back.unicodeScalars.contains(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F })
        else { return "/" }
        return back
    }
}
