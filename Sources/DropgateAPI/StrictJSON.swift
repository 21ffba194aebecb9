/// What the gateway's request bodies may hold, checked before they are decoded: no object has a key twice (parsers
/// disagree on which one wins: Foundation takes the first, Python and JavaScript the last), and no object has a key
/// its type does not know (a misspelt `maxDownload` would otherwise be dropped in silence).
///
/// It reads the document's structure only (objects, arrays, keys); values are the decoder's. Foundation's decoders
/// cannot say either thing, since they keep one value per key, so this is the one reader of JSON's syntax here, and it
/// is bounded: at most ``maximumDepth`` levels, one pass, no copies but the keys.
public enum StrictJSON {
    /// The keys an object may have, and the shape of what each holds.
    public indirect enum Shape: Sendable {
        case object(Fields)
        case array(of: Shape)
        /// Anything; not looked into.
        case value
    }

    /// An object's keys, kept as their UTF-8 bytes too, so a key is matched without making a string of it.
    public struct Fields: Sendable, ExpressibleByDictionaryLiteral {
        let names: [[UInt8]]
        let shapes: [Shape]
        /// The key names, sorted, for messages.
        public let known: [String]

        public init(dictionaryLiteral elements: (String, Shape)...) {
            names = elements.map { Array($0.0.utf8) }
            shapes = elements.map(\.1)
            known = elements.map(\.0).sorted()
        }

        /// The place of `key` among the fields, if it is one.
        func slot(of key: ArraySlice<UInt8>) -> Int? {
            for (index, name) in names.enumerated() where name.elementsEqual(key) { return index }
            return nil
        }
    }

    /// What is wrong with a document.
    public enum Problem: Error, Sendable, Equatable {
        /// `path` names where: `encryption.recordSize`.
        case duplicateKey(path: String)
        case unknownKey(path: String, known: [String])
        /// Not JSON, or deeper than ``maximumDepth``: the decoder says how.
        case malformed
    }

    public static let maximumDepth = 32

    /// The first problem of `bytes` against `shape`, or nil when it has none.
    public static func problem(in bytes: [UInt8], shape: Shape) -> Problem? {
        var reader = Reader(bytes: bytes)
        do {
            reader.skipSpace()
            try reader.value(shape, path: "", depth: 0)
            reader.skipSpace()
            return reader.index == reader.bytes.count ? nil : .malformed
        } catch {
            return error
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
        }

        mutating func expect(_ byte: UInt8) throws(Problem) {
            guard index < bytes.count, bytes[index] == byte else { throw .malformed }
            index += 1
        }

        mutating func value(_ shape: Shape, path: String, depth: Int) throws(Problem) {
            guard depth < StrictJSON.maximumDepth, index < bytes.count else { throw .malformed }
            switch bytes[index] {
            case 0x7B: try object(shape, path: path, depth: depth)
            case 0x5B: try array(shape, path: path, depth: depth)
            case 0x22: try skipString()
            default: try scalar()
            }
        }

        mutating func object(_ shape: Shape, path: String, depth: Int) throws(Problem) {
            index += 1  // {
            var seen: [ArraySlice<UInt8>] = []
            var many = Set<ArraySlice<UInt8>>()
            skipSpace()
            if index < bytes.count, bytes[index] == 0x7D {
                index += 1
                return
            }
            // A known object's keys are marked in a bit set by their place (no allocation); any other object's keys are
            // compared in a short list, and past 16 of them in a set, so no object costs quadratic time.
            var marked: UInt64 = 0
            while true {
                skipSpace()
                let key = try keyBytes()
                var inner = Shape.value
                if case .object(let fields) = shape {
                    guard let slot = fields.slot(of: key), slot < 64 else {
                        throw .unknownKey(path: Self.join(path, key), known: fields.known)
                    }
                    guard marked & (1 << slot) == 0 else { throw .duplicateKey(path: Self.join(path, key)) }
                    marked |= 1 << slot
                    inner = fields.shapes[slot]
                } else {
                    let fresh = seen.count < 16 ? !seen.contains { $0.elementsEqual(key) } : many.insert(key).inserted
                    guard fresh else { throw .duplicateKey(path: Self.join(path, key)) }
                    if seen.count < 16 {
                        seen.append(key)
                        if seen.count == 16 { many = Set(seen) }
                    }
                }
                skipSpace()
                try expect(0x3A)
                skipSpace()
                guard index < bytes.count else { throw .malformed }
                if bytes[index] == 0x7B || bytes[index] == 0x5B {
                    try value(inner, path: Self.join(path, key), depth: depth + 1)
                } else {
                    try value(inner, path: "", depth: depth + 1)
                }
                skipSpace()
                guard index < bytes.count else { throw .malformed }
                if bytes[index] == 0x2C {
                    index += 1
                    continue
                }
                try expect(0x7D)
                return
            }
        }

        /// `path.key`, for messages and nested places.
        static func join(_ path: String, _ key: ArraySlice<UInt8>) -> String {
            let name = String(decoding: key, as: UTF8.self)
            return path.isEmpty ? name : path + "." + name
        }

        /// A key's UTF-8 bytes: a slice of the document when it has no escape (the usual case), else decoded.
        mutating func keyBytes() throws(Problem) -> ArraySlice<UInt8> {
            guard index < bytes.count, bytes[index] == 0x22 else { throw .malformed }
            var end = index + 1
            while end < bytes.count, bytes[end] != 0x22, bytes[end] != 0x5C, bytes[end] >= 0x20 { end += 1 }
            if end < bytes.count, bytes[end] == 0x22 {
                let key = bytes[(index + 1)..<end]
                index = end + 1
                return key
            }
            return ArraySlice(Array(try string().utf8))
        }

        mutating func array(_ shape: Shape, path: String, depth: Int) throws(Problem) {
            index += 1  // [
            let element: Shape = if case .array(let of) = shape { of } else { .value }
            skipSpace()
            if index < bytes.count, bytes[index] == 0x5D {
                index += 1
                return
            }
            var position = 0
            while true {
                skipSpace()
                let nested = index < bytes.count && (bytes[index] == 0x7B || bytes[index] == 0x5B)
                try value(element, path: nested ? "\(path)[\(position)]" : "", depth: depth + 1)
                position += 1
                skipSpace()
                guard index < bytes.count else { throw .malformed }
                if bytes[index] == 0x2C {
                    index += 1
                    continue
                }
                try expect(0x5D)
                return
            }
        }

        /// Steps over a string value: its characters are the decoder's, only its end is found here.
        mutating func skipString() throws(Problem) {
            index += 1  // "
            while index < bytes.count {
                switch bytes[index] {
                case 0x22:
                    index += 1
                    return
                case 0x5C: index += 2
                case 0x00...0x1F: throw .malformed
                default: index += 1
                }
            }
            throw .malformed
        }

        /// A string, its escapes decoded (so `"\u0073ize"` is the key `size`).
        mutating func string() throws(Problem) -> String {
            try expect(0x22)
            var scalars = String.UnicodeScalarView()
            var plain: [UInt8] = []
            func flush() {
                if !plain.isEmpty {
                    scalars.append(contentsOf: String(decoding: plain, as: UTF8.self).unicodeScalars)
                    plain.removeAll(keepingCapacity: true)
                }
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case 0x22:
                    flush()
                    return String(scalars)
                case 0x5C:
                    flush()
                    scalars.append(try escape())
                case 0x00...0x1F: throw .malformed
                default: plain.append(byte)
                }
            }
            throw .malformed
        }

        mutating func escape() throws(Problem) -> Unicode.Scalar {
            guard index < bytes.count else { throw .malformed }
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x22, 0x5C, 0x2F: return Unicode.Scalar(byte)
            case 0x62: return "\u{08}"
            case 0x66: return "\u{0C}"
            case 0x6E: return "\n"
            case 0x72: return "\r"
            case 0x74: return "\t"
            case 0x75:
                let unit = try hex4()
                if (0xD800...0xDBFF).contains(unit) {  // a high surrogate: its low half must follow
                    try expect(0x5C)
                    try expect(0x75)
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low),
                        let scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                    else { throw .malformed }
                    return scalar
                }
                guard let scalar = Unicode.Scalar(UInt32(unit)) else { throw .malformed }
                return scalar
            default: throw .malformed
            }
        }

        mutating func hex4() throws(Problem) -> UInt16 {
            guard index + 4 <= bytes.count else { throw .malformed }
            var value: UInt16 = 0
            for byte in bytes[index..<(index + 4)] {
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x37
                case 0x61...0x66: digit = byte - 0x57
                default: throw .malformed
                }
                value = value << 4 | UInt16(digit)
            }
            index += 4
            return value
        }

        /// A number, `true`, `false` or `null`: its characters are the decoder's to judge.
        mutating func scalar() throws(Problem) {
            let start = index
            while index < bytes.count, ![0x2C, 0x5D, 0x7D, 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            guard index > start else { throw .malformed }
        }
    }
}
