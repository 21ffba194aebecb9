/// Header fields in the order they arrived (or were added); names compare case-insensitively (RFC 9110 §5.1).
///
/// The one header type of Dropgate: the server's requests and responses, the libcurl client's requests and
/// responses, and SigV4's signable request all carry it.
///
/// ```swift
/// var headers: HTTPHeaders = [.init("Content-Type", "image/png")]
/// headers["content-type"]  // "image/png"
/// ```
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral {
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

    public init(arrayLiteral fields: Field...) { self.fields = fields }

    public init(_ fields: some Sequence<Field>) { self.fields = Array(fields) }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    public var count: Int { fields.count }

    public var isEmpty: Bool { fields.isEmpty }

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

    /// Adds a field (keeping others of the same name).
    public mutating func append(_ field: Field) { fields.append(field) }

    /// Adds fields in order.
    public mutating func append(contentsOf other: some Sequence<Field>) { fields.append(contentsOf: other) }

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
        // Native strings compare as contiguous bytes; bridged ones fall back to their UTF-8 views.
        let contiguous = utf8.withContiguousStorageIfAvailable { mine in
            other.utf8.withContiguousStorageIfAvailable { theirs in Self.equalIgnoringASCIICase(mine, theirs) }
        }
        if let contiguous, let equal = contiguous { return equal }
        return Self.equalIgnoringASCIICase(utf8, other.utf8)
    }

    @inline(__always)
    private static func equalIgnoringASCIICase(_ mine: some Sequence<UInt8>, _ theirs: some Sequence<UInt8>) -> Bool {
        for (a, b) in zip(mine, theirs) where a != b {
            let la = a >= 0x41 && a <= 0x5A ? a | 0x20 : a
            let lb = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            if la != lb { return false }
        }
        return true
    }
}
