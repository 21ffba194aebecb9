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
    public var json: String {
        var parts: [String] = []
        for condition in conditions {
            switch condition {
            case .equals(let field, let value): parts.append("{\(Self.quote(field)):\(Self.quote(value))}")
            case .startsWith(let field, let prefix): parts.append("[\"starts-with\",\(Self.quote("$" + field)),\(Self.quote(prefix))]")
            case .contentLengthRange(let low, let high): parts.append("[\"content-length-range\",\(low),\(high)]")
            }
        }
        return "{\"expiration\":\(Self.quote(expiration.iso8601Milliseconds)),\"conditions\":[\(parts.joined(separator: ","))]}"
    }

    /// The base64 of ``json``: the `Policy` form field and the string to sign.
    public var base64: String { Data(json.utf8).base64EncodedString() }

    /// The content-length range the policy allows, if it sets one.
    public var contentLengthRange: ClosedRange<Int64>? {
        for case .contentLengthRange(let low, let high) in conditions where low <= high { return low...high }
        return nil
    }

    /// A JSON string literal (via JSONSerialization, so every escape is right).
    static func quote(_ text: String) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes]) else { return "\"\"" }
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
