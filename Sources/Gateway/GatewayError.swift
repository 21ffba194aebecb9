import DropgateAPI
import Foundation
import HTTPServer

/// A refusal from the gateway API: `{"error":{"code":"…","message":"…"}}` with a fitting status.
public struct GatewayError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var status: Int
    public var code: APIErrorCode
    /// What went wrong, for people: its English and the values in it, so that it can be said in their language.
    public var wording: Wording
    /// ``wording`` in English (programs match ``code``, never this).
    public var message: String { wording.english }
    /// What did not match the declaration (the 422 of a failed upload check).
    public var mismatches: [Mismatch]?
    /// Seconds after which a retry may succeed (`Retry-After`, on 429 and 503).
    public var retryAfter: Int?

    public init(_ status: Int, _ code: APIErrorCode, _ wording: Wording, mismatches: [Mismatch]? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.wording = wording
        self.mismatches = mismatches
        self.retryAfter = retryAfter
    }

    public var description: String { "\(status) \(code.rawValue): \(message)" }

    /// The wire form of this error.
    public var body: APIErrorBody { body(saying: message) }

    /// The wire form, its message `text` (the wording in a person's language).
    func body(saying text: String) -> APIErrorBody {
        APIErrorBody(error: APIError(code: code.rawValue, message: text, mismatches: mismatches))
    }

    public func response(for request: HTTPRequest?) -> HTTPResponse { response(saying: message) }

    /// The JSON answer, its message `text`.
    func response(saying text: String) -> HTTPResponse {
        var response = HTTPResponse.json(body(saying: text), status: status)
        if let retryAfter { response.headers.set("Retry-After", String(retryAfter)) }
        return response
    }

    /// 429 `rate_limited`, with the seconds to wait.
    static func rateLimited(_ refusal: ClientLimiter.Refusal) -> GatewayError {
        GatewayError(429, .rateLimited, refusal.message, retryAfter: refusal.retryAfter)
    }

    static func badRequest(_ code: APIErrorCode, _ wording: Wording) -> GatewayError { GatewayError(400, code, wording) }
}

extension HTTPResponse {
    /// A JSON API answer (`Cache-Control: no-store`), encoded by ``APIJSON``.
    static func json(_ value: some Encodable, status: Int) -> HTTPResponse {
        json(bytes: (try? APIJSON.encode(value)) ?? notEncoded, status: status)
    }

    /// A JSON API answer of bytes already written.
    static func json(bytes: [UInt8], status: Int) -> HTTPResponse {
        var response = HTTPResponse(status: HTTPStatus(status), body: .bytes(bytes))
        response.headers.set("Content-Type", "application/json")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    static let notEncoded = Array(#"{"error":{"code":"internal_error","message":"The answer could not be encoded."}}"#.utf8)
}
