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

/// JSON values for API bodies, encoded by Foundation's JSONEncoder (keys sorted).
public indirect enum JSONValue: Sendable, Hashable, Encodable {
    case string(String)
    case number(Int64)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }

    /// The JSON text, keys sorted, slashes unescaped.
    public var text: String {
        let data = (try? JSONEncoder.sorted.encode(self)) ?? Data("{}".utf8)
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
