import Foundation

/// The policy document of a browser POST upload: an expiration and the conditions every form must meet.
///
/// ```swift
/// var policy = PostPolicy(expiration: date.adding(seconds: 900))
/// policy.conditions = [.equals("bucket", "uploads"), .startsWith("key", "user/1/"), .contentLengthRange(1, 10_000_000)]
/// ```
public struct PostPolicy: Sendable, Hashable {
    /// One condition; field names are compared case-insensitively and written without `$`.
    public enum Condition: Sendable, Hashable {
        /// `{"field": "value"}` (or `["eq", "$field", "value"]`): the form field must equal `value`.
        case equals(String, String)
        /// `["starts-with", "$field", "prefix"]`: the form field must start with `prefix` (`""` allows anything).
        case startsWith(String, String)
        /// `["content-length-range", min, max]`: the file's size in bytes, inclusive.
        case contentLengthRange(Int64, Int64)
    }

    /// When the policy stops being accepted.
    public var expiration: AmzDate
    public var conditions: [Condition]

    public init(expiration: AmzDate, conditions: [Condition] = []) {
        self.expiration = expiration
        self.conditions = conditions
    }

    /// The policy as JSON, the document that is base64-encoded and signed.
    public var json: String { String(decoding: (try? Self.encoder.encode(self)) ?? Data(), as: UTF8.self) }

    /// The base64 of ``json``: the `Policy` form field and the string to sign.
    public var base64: String { Data(json.utf8).base64EncodedString() }

    /// The content-length range the policy allows, if it sets one.
    public var contentLengthRange: ClosedRange<Int64>? {
        for case .contentLengthRange(let low, let high) in conditions where low <= high { return low...high }
        return nil
    }

    /// Keys sorted, so one policy always has one document.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

extension PostPolicy: Codable {
    enum CodingKeys: String, CodingKey {
        case expiration, conditions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .expiration)
        guard let expiration = AmzDate(iso8601: text) else {
            throw DecodingError.dataCorruptedError(forKey: .expiration, in: container, debugDescription: "not of the form 2015-12-30T12:00:00.000Z")
        }
        self.init(expiration: expiration, conditions: try container.decode([Condition].self, forKey: .conditions))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(expiration.iso8601Milliseconds, forKey: .expiration)
        try container.encode(conditions, forKey: .conditions)
    }
}

extension PostPolicy.Condition: Codable {
    /// The one key of a `{"field": "value"}` condition.
    struct FieldName: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let pair = try? decoder.container(keyedBy: FieldName.self) {
            guard pair.allKeys.count == 1, let name = pair.allKeys.first else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a {} condition names one field"))
            }
            let field = name.stringValue.hasPrefix("$") ? String(name.stringValue.dropFirst()) : name.stringValue
            self = .equals(field, try pair.decode(String.self, forKey: name))
            return
        }
        var list = try decoder.unkeyedContainer()
        guard list.count == 3 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a list condition has three elements"))
        }
        let operation = try list.decode(String.self).lowercased()
        switch operation {
        case "content-length-range":
            let low = try list.decode(Int64.self)
            let high = try list.decode(Int64.self)
            guard low >= 0, low <= high else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "content-length-range needs low <= high"))
            }
            self = .contentLengthRange(low, high)
        case "eq", "starts-with":
            let field = try list.decode(String.self)
            let value = try list.decode(String.self)
            guard field.hasPrefix("$") else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "the field is named $field"))
            }
            self = operation == "eq" ? .equals(String(field.dropFirst()), value) : .startsWith(String(field.dropFirst()), value)
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown condition \(operation)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .equals(let field, let value):
            var pair = encoder.container(keyedBy: FieldName.self)
            try pair.encode(value, forKey: FieldName(stringValue: field))
        case .startsWith(let field, let prefix):
            var list = encoder.unkeyedContainer()
            try list.encode("starts-with")
            try list.encode("$" + field)
            try list.encode(prefix)
        case .contentLengthRange(let low, let high):
            var list = encoder.unkeyedContainer()
            try list.encode("content-length-range")
            try list.encode(low)
            try list.encode(high)
        }
    }
}
