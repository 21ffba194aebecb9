/// The canonical query string: each name and value encoded once, sorted by name then value.
enum CanonicalQuery {
    /// An encoded parameter ready to sort.
    struct Pair {
        var name: [UInt8]
        var value: [UInt8]
    }

    /// Canonicalizes wire-form parameters (decoded once and encoded once, so `%E1%88%B4` stays as it is).
    static func pairs(_ items: [SignableRequest.QueryItem], excluding excluded: String? = nil) -> [Pair] {
        var pairs: [Pair] = []
        pairs.reserveCapacity(items.count + 6)
        for item in items where item.name != excluded {
            var name: [UInt8] = []
            var value: [UInt8] = []
            PercentEncoding.appendCanonical(item.name.utf8, to: &name, keepingSlash: false)
            PercentEncoding.appendCanonical(item.value.utf8, to: &value, keepingSlash: false)
            pairs.append(Pair(name: name, value: value))
        }
        return pairs
    }

    /// Sorts `pairs` and appends them as `a=1&b=2`.
    static func append<Sink: ByteSink & ~Copyable>(sorting pairs: inout [Pair], to buffer: inout Sink) {
        if pairs.count > 1 {
            pairs.sort { lhs, rhs in
                lhs.name == rhs.name ? lhs.value.lexicographicallyPrecedes(rhs.value) : lhs.name.lexicographicallyPrecedes(rhs.name)
            }
        }
        for (index, pair) in pairs.enumerated() {
            if index > 0 { buffer.write(0x26) }
            buffer.write(bytes: pair.name)
            buffer.write(0x3D)
            buffer.write(bytes: pair.value)
        }
    }
}
