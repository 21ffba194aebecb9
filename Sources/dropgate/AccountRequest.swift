import CurlHTTP
import DropgateAPI
import DropgateClient
import Foundation
import HTTPWire

/// An API call made as the signed-in user: the gateway's base URL, and the bearer token from `--token`,
/// `DROPGATE_TOKEN` or what `dropgate login` kept for that gateway (none, when `required` is false and there is none).
struct AccountRequest {
    let base: String
    let token: String?
    let client = WebClient()

    init(gateway: String?, token: String?, required: Bool = true) throws {
        base = try GatewayURL.base(gateway)
        let saved = try SavedLogins().token(for: base)
        let found = token ?? ProcessInfo.processInfo.environment["DROPGATE_TOKEN"] ?? saved
        if required, found == nil { throw CLIError("Not signed in to \(base): run dropgate login, or pass --token.") }
        self.token = found
    }

    /// The answer's body when the gateway says yes (2xx); else the gateway's own words, as a one-line error.
    func send(_ method: String, _ path: String, json: [UInt8]? = nil) throws -> [UInt8] {
        var headers: HTTPHeaders = [.init("Accept", "application/json")]
        if let token { headers.append(.init("Authorization", "Bearer \(token)")) }
        if json != nil { headers.append(.init("Content-Type", "application/json")) }
        let response = try client.request(method: method, url: base + path, headers: headers, body: json)
        guard (200..<300).contains(response.status) else {
            let words = (try? APIJSON.decode(APIErrorBody.self, from: response.body))?.error.message
            throw CLIError(words ?? "The gateway answered HTTP \(response.status).")
        }
        return response.body
    }
}
