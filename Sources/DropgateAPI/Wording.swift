/// A sentence for people, kept as its English template and the values that fill it, so that it can be written in
/// another language: `"There is no share \(id, as: "id")."` is the template `There is no share {id}.` with the value
/// of `id`. Catalogs translate the template (gettext's way: the English is the key) and keep its `{name}` placeholders.
///
/// A literal with no values is its own template. Text made elsewhere, whose parts are unknown, is
/// ``init(verbatim:)``: it is looked up whole, and stays English where no catalog has it.
public struct Wording: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// One `{name}` of the template and what it stands for: a text as it is, or a wording of its own, which is
    /// written in the same language as the sentence around it.
    public struct Value: Sendable, Hashable {
        public var name: String
        public var filling: Filling

        public init(name: String, text: String) {
            self.name = name
            self.filling = .text(text)
        }

        public init(name: String, wording: Wording) {
            self.name = name
            self.filling = .wording(wording)
        }

        /// The value in English.
        public var text: String {
            switch filling {
            case .text(let text): text
            case .wording(let wording): wording.english
            }
        }
    }

    /// What fills a placeholder.
    public indirect enum Filling: Sendable, Hashable {
        case text(String)
        case wording(Wording)
    }

    /// The English, with `{name}` where each value goes.
    public let template: String
    /// The values, in the order they were written.
    public let values: [Value]

    public init(stringLiteral value: String) {
        template = value
        values = []
    }

    public init(stringInterpolation: Interpolation) {
        template = stringInterpolation.template
        values = stringInterpolation.values
    }

    /// Text that is no template: no value fills it, so any braces in it stay as they are.
    public init(verbatim text: String) {
        template = text
        values = []
    }

    /// The sentence in English.
    public var english: String { written { $0 } }

    /// The sentence in a language: `translate` gives a template's translation (or the template), for this wording's
    /// and for each wording among its values.
    public func written(_ translate: (String) -> String) -> String {
        Self.fill(translate(template), values) { value in
            switch value.filling {
            case .text(let text): text
            case .wording(let wording): wording.written(translate)
            }
        }
    }

    public var description: String { english }

    /// `template` (a wording's, or its translation) with each `{name}` of `values` replaced by `text` of it (the value
    /// as written, by default), in one pass: a value is never read again, so one that holds `{other}` stays as it is.
    /// A placeholder with no value stays too.
    public static func fill(_ template: String, _ values: [Value], _ text: (Value) -> String = { $0.text }) -> String {
        guard !values.isEmpty else { return template }
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let value = values.first(where: { $0.name == after[..<close] }) {
                out += text(value)
                rest = after[after.index(after: close)...]
            } else {
                out += "{"
                rest = after
            }
        }
        return out + rest
    }

    /// Builds a ``Wording`` from a string literal: literal parts as they are, each value named.
    public struct Interpolation: StringInterpolationProtocol {
        var template = ""
        var values: [Value] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            template.reserveCapacity(literalCapacity + interpolationCount * 8)
        }

        public mutating func appendLiteral(_ literal: String) { template += literal }

        /// `\(value, as: "name")`: `{name}` in the template, filled with `value`.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible, as name: String) {
            template += "{\(name)}"
            values.append(Value(name: name, text: value.description))
        }

        /// `\(wording, as: "name")`: `{name}` in the template, filled with `wording` in the sentence's language.
        public mutating func appendInterpolation(_ wording: Wording, as name: String) {
            template += "{\(name)}"
            values.append(Value(name: name, wording: wording))
        }
    }
}
