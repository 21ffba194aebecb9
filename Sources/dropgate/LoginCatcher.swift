import Foundation
import HTTPServer
import HTTPWire
import Synchronization

/// The loopback side of `dropgate login`: takes the one form the gateway's page posts here (the state this run made,
/// and the token), and nothing else.
final class LoginCatcher: HTTPHandler, Sendable {
    let state: String
    private let token = Mutex<String?>(nil)
    private let arrived = DispatchSemaphore(value: 0)

    init(state: String) { self.state = state }

    func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        guard request.method == "POST", request.path == "/" else { return Self.page(404, "Nothing here.") }
        let form = String(decoding: try body.readAll(limit: 4 * 1024), as: UTF8.self)
        let fields = QueryItem.parse(form).reduce(into: [String: String]()) { fields, item in
            if fields[item.name] == nil { fields[item.name] = PercentDecoding.decode(item.value.replacingOccurrences(of: "+", with: " ")) }
        }
        guard let sent = fields["state"], ConstantTime.equals(Array(sent.utf8), Array(state.utf8)), let value = fields["token"],
            value.hasPrefix("dgp.")
        else { return Self.page(400, "This is not the sign-in dropgate login started. Run it again.") }
        let first = token.withLock { kept in
            guard kept == nil else { return false }
            kept = value
            return true
        }
        if first { arrived.signal() }
        return Self.page(200, "The command line is signed in. You can close this tab.")
    }

    /// The token, once it arrived within `seconds`.
    func wait(seconds: Int) -> String? {
        guard arrived.wait(timeout: .now() + .seconds(seconds)) == .success else { return nil }
        return token.withLock { $0 }
    }

    static func page(_ status: Int, _ text: String) -> HTTPResponse {
        var response = HTTPResponse(
            status: HTTPStatus(status), contentType: "text/html; charset=utf-8",
            body:
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dropgate login</title></head><body><p>\(text)</p></body></html>"
        )
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}
