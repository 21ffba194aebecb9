import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

extension AccountService {
    /// What `dropgate login` asks for: its loopback port, its random state and the computer's name.
    struct CommandLineRequest {
        var port: Int
        var state: String
        var host: String

        init?(port: String?, state: String?, host: String?) {
            guard let port = port.flatMap(Int.init), (1_024...65_535).contains(port), let state, state.utf8.count == 43,
                Base64URL.decode(state) != nil, let host, (1...64).contains(host.count),
                host.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "-._".unicodeScalars.contains($0))
                })
            else { return nil }
            (self.port, self.state, self.host) = (port, state, host)
        }

        var query: String { "port=\(port)&state=\(state)&host=\(PercentEncoding.encode(host))" }
    }

    /// `GET /auth/cli?port=…&state=…&host=…`: `dropgate login` sent the browser here. Signed out, it signs in first;
    /// signed in, it asks the user whether the command line on that computer may act for them.
    func commandLineConsent(_ request: HTTPRequest) -> HTTPResponse {
        guard
            let asked = CommandLineRequest(
                port: request.queryValue("port"), state: request.queryValue("state"), host: request.queryValue("host"))
        else {
            return Self.page(400, "Not a dropgate login", "This address is made by dropgate login; run it again.")
        }
        guard let session = sessions.session(of: request) else {
            var response = HTTPResponse(status: 303)
            response.headers.set("Location", "/auth/login?return=\(PercentEncoding.encode("/auth/cli?" + asked.query))")
            response.headers.set("Cache-Control", "no-store")
            return response
        }
        let body = """
            <article>
            <h1>\(ViewPage.t("Sign in the command line?"))</h1>
            <p>\(ViewPage.t(
                "The dropgate command on {host} asks to upload and manage your shares as {name}. It gets a personal token, which you can revoke.",
                ["host": asked.host, "name": session.name]))</p>
            <form method="post" action="/auth/cli">
            <input type="hidden" name="port" value="\(asked.port)">
            <input type="hidden" name="state" value="\(asked.state)">
            <input type="hidden" name="host" value="\(ViewPage.escape(asked.host))">
            <input type="hidden" name="csrf" value="\(sessions.csrfToken(of: session))">
            <button type="submit">\(ViewPage.t("Allow"))</button> <a href="/">\(ViewPage.t("Cancel"))</a>
            </form>
            </article>
            """
        return Self.html(ViewPage.page(title: ViewPage.t("Sign in the command line"), body: body))
    }

    /// `POST /auth/cli` (the form above, with its CSRF token): makes the token and hands it to `dropgate login` on the
    /// loopback address it listens on, by a form the user submits there (never in a URL, so never in the history).
    func commandLineToken(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let form = try body.readAll(limit: 4 * 1024)
        let session = try signedIn(request)
        guard let csrf = FormBody.value(named: "csrf", in: form), ConstantTime.equals(Array(csrf.utf8), Array(sessions.csrfToken(of: session).utf8))
        else { throw Self.csrfRefusal }
        guard
            let asked = CommandLineRequest(
                port: FormBody.value(named: "port", in: form), state: FormBody.value(named: "state", in: form),
                host: FormBody.value(named: "host", in: form))
        else { return Self.page(400, "Not a dropgate login", "This form is made by dropgate login; run it again.") }
        let created = try tokens.create(
            owner: AccessGuard.accountOwner(session.subject, secret: secret), name: "dropgate on \(asked.host)", scopes: [.shares, .upload],
            at: Int64(now().timeIntervalSince1970), random: random)
        logger.info("\(session.name) signed in the command line on \(asked.host) (\(created.info.id))")
        let loopback = "http://127.0.0.1:\(asked.port)/"
        let page = """
            <article>
            <h1>\(ViewPage.t("One more step"))</h1>
            <p>\(ViewPage.t("Hand the token to dropgate on this computer."))</p>
            <form method="post" action="\(loopback)">
            <input type="hidden" name="state" value="\(asked.state)">
            <input type="hidden" name="token" value="\(created.token)">
            <button type="submit">\(ViewPage.t("Finish signing in"))</button>
            </form>
            </article>
            """
        var response = Self.html(ViewPage.page(title: ViewPage.t("Finish signing in"), body: page, switcher: false))
        // This one form may go to the command line's loopback address; nothing else changes.
        response.headers.set(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'none'; style-src 'self'; form-action \(loopback); base-uri 'none'; frame-ancestors 'none'")
        return response
    }

    static func html(_ text: String) -> HTTPResponse {
        var response = HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: text)
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}
