import Foundation
import HTTPServer

/// A refusal from the gateway API: `{"error":{"code":"…","message":"…"}}` with a fitting status.
public struct GatewayError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var status: Int
    public var code: String
    public var message: String
    /// Extra members of the error object (the mismatches of a failed upload check).
    public var details: [String: JSONValue] = [:]

    public init(_ status: Int, _ code: String, _ message: String, details: [String: JSONValue] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(status) \(code): \(message)" }

    public func response(for request: HTTPRequest?) -> HTTPResponse {
        var error: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        for (key, value) in details { error[key] = value }
        return JSONValue.object(["error": .object(error)]).response(status: status)
    }

    static func badRequest(_ code: String, _ message: String) -> GatewayError { GatewayError(400, code, message) }
}

/// JSON values for API bodies, encoded by Foundation's JSONSerialization.
public indirect enum JSONValue: Sendable, Hashable {
    case string(String)
    case number(Int64)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    var foundation: Any {
        switch self {
        case .string(let value): value
        case .number(let value): NSNumber(value: value)
        case .bool(let value): NSNumber(value: value)
        case .null: NSNull()
        case .array(let values): values.map(\.foundation)
        case .object(let members): members.mapValues(\.foundation)
        }
    }

    /// The JSON text, keys sorted, slashes unescaped.
    public var text: String {
        let data = (try? JSONSerialization.data(withJSONObject: foundation, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    func response(status: Int) -> HTTPResponse {
        var response = HTTPResponse(status: HTTPStatus(status), contentType: "application/json", body: text)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// Parses a request body; nil when it is not a JSON object.
    static func parseObject(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }
}
