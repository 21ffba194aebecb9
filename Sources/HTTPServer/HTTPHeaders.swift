/// Header fields in the order they arrived; names compare case-insensitively.
public struct HTTPHeaders: Sendable, Hashable, Sequence {
    /// One field.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var fields: [Field]

    public init(_ fields: [Field] = []) { self.fields = fields }

    public init(_ pairs: [(String, String)]) { self.fields = pairs.map { Field($0.0, $0.1) } }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    public var count: Int { fields.count }

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        fields.first { $0.name.asciiCaseInsensitiveEquals(name) }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.asciiCaseInsensitiveEquals(name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { fields.contains { $0.name.asciiCaseInsensitiveEquals(name) } }

    /// Adds a field (keeping others of the same name).
    public mutating func add(_ name: String, _ value: String) { fields.append(Field(name, value)) }

    /// Replaces every field named `name` with one, or removes them all when `value` is nil.
    public mutating func set(_ name: String, _ value: String?) {
        fields.removeAll { $0.name.asciiCaseInsensitiveEquals(name) }
        if let value { fields.append(Field(name, value)) }
    }

    public mutating func remove(_ name: String) { set(name, nil) }
}

extension String {
    /// ASCII case-insensitive equality without allocating.
    public func asciiCaseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        for (a, b) in zip(utf8, other.utf8) where a != b {
            let la = (0x41...0x5A).contains(a) ? a | 0x20 : a
            let lb = (0x41...0x5A).contains(b) ? b | 0x20 : b
            if la != lb { return false }
        }
        return true
    }
}
