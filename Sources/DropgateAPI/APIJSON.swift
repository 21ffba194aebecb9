import Foundation
import HTTPWire

/// The gateway API's JSON, set once: keys sorted, slashes unescaped, dates as ISO 8601 in UTC at whole seconds.
///
/// ```swift
/// let body = try APIJSON.encode(Status(status: "ok"))       // {"status":"ok"}
/// let plan = try APIJSON.decode(UploadPlan.self, from: bytes)
/// ```
///
/// It encodes and decodes through HTTPWire's compact coders; ``foundationEncoder`` and ``foundationDecoder`` are
/// Foundation's, set the same way, which the tests hold them equal to.
public enum APIJSON {
    /// The one encoder of API bodies.
    public static let encoder = CompactJSONEncoder(date: { APITime.iso8601(secondsSince1970: Int64($0.timeIntervalSince1970.rounded(.down))) })

    /// The one decoder of API bodies.
    public static let decoder = CompactJSONDecoder(dateFormat: dateFormat) { try? Date($0, strategy: .iso8601) }

    static let dateFormat = "an ISO 8601 time such as 2026-12-01T08:00:00Z"

    /// The JSON bytes of `value`.
    public static func encode(_ value: some Encodable) throws -> [UInt8] { try encoder.encode(value) }

    /// A value decoded from JSON bytes.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try decoder.decode(type, from: bytes)
    }

    /// Foundation's encoder, set as ``encoder`` is: its general twin.
    public static var foundationEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(APITime.iso8601(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down))))
        }
        return encoder
    }

    /// Foundation's decoder, set as ``decoder`` is: its general twin.
    public static var foundationDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected \(dateFormat).")
            }
            return date
        }
        return decoder
    }
}
