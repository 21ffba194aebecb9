import Foundation

/// Decodes `Decodable` values from JSON as Foundation's `JSONDecoder` does (the same values, and the same
/// `DecodingError` cases with the same coding paths), at a fraction of its cost. The tests hold the two equal on
/// every API type and on mutated bodies.
///
/// ```swift
/// let decoder = CompactJSONDecoder(date: { Date?(text) })
/// let request = try decoder.decode(UploadRequest.self, from: body)
/// ```
public struct CompactJSONDecoder: Sendable {
    /// How a `Date` is read from its string; nil refuses it.
    public var date: @Sendable (String) -> Date?
    /// What the date strategy says when it refuses one.
    public var dateFormat: String

    public init(dateFormat: String, date: @escaping @Sendable (String) -> Date?) {
        self.date = date
        self.dateFormat = dateFormat
    }

    /// The value of type `type` that `bytes` hold.
    public func decode<Value: Decodable>(_ type: Value.Type, from bytes: some Collection<UInt8>) throws -> Value {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "The given data was not valid JSON: \(error.message) at byte \(error.offset)."))
        }
        return try JSONValueDecoder(value: document, codingPath: [], options: self).decode(type)
    }
}

/// The `Decoder` behind ``CompactJSONDecoder``: one per value.
struct JSONValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let options: CompactJSONDecoder
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// `type` read from `value`: strings and dates at once, anything else through its own `init(from:)`.
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        if type == String.self, case .string(let text) = value, let text = text as? Value { return text }
        if type == Date.self {
            guard case .string(let text) = value else { throw mismatch(String.self) }
            guard let date = options.date(text) as? Value else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Expected \(options.dateFormat)."))
            }
            return date
        }
        return try Value(from: self)
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        if case .null = value {
            return .valueNotFound(
                type, .init(codingPath: codingPath, debugDescription: "Cannot get value of type \(type) -- found null value instead"))
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(value.kind) instead."))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: Any].self) }
        return KeyedDecodingContainer(JSONKeyedDecoding<Key>(members: members, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([Any].self) }
        return JSONUnkeyedDecoding(elements: elements, decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { JSONSingleValueDecoding(decoder: self) }

    func child(_ value: JSONValue, _ key: any CodingKey) -> JSONValueDecoder {
        JSONValueDecoder(value: value, codingPath: codingPath + [key], options: options)
    }

    // The scalars, as Foundation reads them.

    func bool() throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self) }
        return flag
    }

    func string() throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self) }
        return text
    }

    func floatingPoint<Number: BinaryFloatingPoint & LosslessStringConvertible>(_ type: Number.Type) throws -> Number {
        guard case .number(let text) = value else { throw mismatch(type) }
        guard let number = Number(text), number.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Number \(text) is not representable in Swift."))
        }
        return number
    }

    func integer<Number: FixedWidthInteger>(_ type: Number.Type) throws -> Number {
        guard case .number(let text) = value else { throw mismatch(type) }
        if let number = Number(text) { return number }
        // A whole number written with a fraction or an exponent (`3.0`, `1e2`) reads as one, as Foundation's does.
        if let double = Double(text), double.rounded() == double, let number = Number(exactly: double) { return number }
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Parsed JSON number <\(text)> does not fit in \(type)."))
    }
}
