import Foundation
import SigV4

/// One setting: its dotted key (`gateway.port`), what kind of value it takes, what it means, and how it is read
/// from and written to ``GatewaySettings``. The table of them is ``GatewaySettings/fields``.
public struct SettingsField: Sendable {
    /// A value as the sources give it, normalized to the field's kind.
    public enum Value: Sendable, Equatable {
        case none
        case text(String)
        case integer(Int64)
        case list([String])
        case time(Date)
    }

    /// What a field takes.
    public enum Kind: Sendable {
        case text
        /// Text that is never printed.
        case secret
        /// Text that must not be empty.
        case required
        case integer(ClosedRange<Int64>)
        /// `true` or `false`.
        case boolean
        /// A clamd address: `tcp://host:port` or `unix:/path`.
        case scanner
        /// Comma-separated in the environment, a JSON list in the file.
        case list
        /// One of these words.
        case choice([String])
        /// An `http://` or `https://` URL.
        case url
        /// An ISO 8601 time such as `2026-11-29T12:00:00Z`.
        case time
    }

    public let key: String
    public let kind: Kind
    /// One line for the README's settings table.
    public let help: String
    /// The AWS variable that also sets it (`AWS_REGION`).
    public let awsVariable: String?
    let read: @Sendable (GatewaySettings) -> Value
    let write: @Sendable (inout GatewaySettings, Value) -> Void

    /// `DROPGATE_GATEWAY_PUBLICURL` for `gateway.publicURL`.
    public var environmentVariable: String { "DROPGATE_" + key.replacingOccurrences(of: ".", with: "_").uppercased() }

    /// Whether its value may be printed.
    public var isSecret: Bool {
        if case .secret = kind { return true }
        return key == "auth.uploadTokens"
    }

    /// Parses a value given as text (an environment variable).
    func parse(text: String, source: String) throws(GatewaySettingsError) -> Value {
        switch kind {
        case .integer:
            guard let number = Int64(text) else { throw GatewaySettingsError("\(source) must be a whole number; got '\(text)'.") }
            return .integer(number)
        case .boolean:
            guard text == "true" || text == "false" else { throw GatewaySettingsError("\(source) must be true or false; got '\(text)'.") }
            return .integer(text == "true" ? 1 : 0)
        case .list:
            return .list(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case .time:
            guard let date = AmzDate(iso8601: text)?.date else {
                throw GatewaySettingsError("\(source) must be an ISO 8601 time such as 2026-11-29T12:00:00Z; got '\(text)'.")
            }
            return .time(date)
        default:
            return .text(text)
        }
    }

    /// Parses a value given in the settings file.
    func parse(json: SettingsJSON, source: String) throws(GatewaySettingsError) -> Value {
        switch (kind, json) {
        case (_, .null): return .none
        case (.integer, .number(let number)):
            guard number.rounded() == number, abs(number) < 9.0e15 else { throw GatewaySettingsError("\(source) must be a whole number.") }
            return .integer(Int64(number))
        case (.list, .array(let items)):
            var texts: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw GatewaySettingsError("\(source) must be a list of strings.") }
                texts.append(text)
            }
            return .list(texts)
        case (.boolean, .bool(let flag)): return .integer(flag ? 1 : 0)
        case (.boolean, _): throw GatewaySettingsError("\(source) must be true or false.")
        case (.integer, _): throw GatewaySettingsError("\(source) must be a whole number.")
        case (.list, _): throw GatewaySettingsError("\(source) must be a list of strings.")
        case (_, .string(let text)): return try parse(text: text, source: source)
        default: throw GatewaySettingsError("\(source) must be a string.")
        }
    }

    /// What is wrong with a value, in words that name the field; nil when it is fine.
    func problem(with value: Value) -> String? {
        switch (kind, value) {
        case (.integer(let range), .integer(let number)) where !range.contains(number):
            return "\(key) must be from \(range.lowerBound) to \(range.upperBound); got \(number)."
        case (.choice(let words), .text(let word)) where !words.contains(word):
            return "\(key) must be " + words.map { "\"\($0)\"" }.joined(separator: " or ") + "; got \"\(word)\"."
        case (.url, .text(let text)) where !Self.isHTTPURL(text):
            return "\(key) must be an http(s) URL; got '\(text)'."
        case (.scanner, .text(let text)) where ClamdAddress(text) == nil:
            return "\(key) must be tcp://host:port or unix:/path; got '\(text)'."
        case (.required, .text(let text)) where text.isEmpty:
            return "\(key) is empty" + (awsVariable.map { ": set it, or \($0)." } ?? ".")
        default:
            return nil
        }
    }

    static func isHTTPURL(_ text: String) -> Bool {
        (text.hasPrefix("http://") || text.hasPrefix("https://")) && text.count > 8 && !text.contains(" ")
    }
}
