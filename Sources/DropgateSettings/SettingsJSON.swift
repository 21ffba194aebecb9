/// A settings file as JSON values, before each is matched to its field.
public indirect enum SettingsJSON: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SettingsJSON])
    case object([String: SettingsJSON])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([SettingsJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: SettingsJSON].self))
        }
    }
}
