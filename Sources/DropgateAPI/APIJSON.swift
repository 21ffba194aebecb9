import Foundation

/// The gateway API's JSON, set once: keys sorted, slashes unescaped, dates as ISO 8601 in UTC at whole seconds.
///
/// ```swift
/// let body = try APIJSON.encode(Status(status: "ok"))       // {"status":"ok"}
/// let plan = try APIJSON.decode(UploadPlan.self, from: bytes)
/// ```
public enum APIJSON {
    /// The one encoder of API bodies.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(APITime.iso8601(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down))))
        }
        return encoder
    }()

    /// The one decoder of API bodies.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected an ISO 8601 time such as 2026-12-01T08:00:00Z.")
            }
            return date
        }
        return decoder
    }()

    /// The JSON bytes of `value`.
    public static func encode(_ value: some Encodable) throws -> [UInt8] { Array(try encoder.encode(value)) }

    /// A value decoded from JSON bytes.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try decoder.decode(type, from: Data(bytes))
    }
}
