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
        case object([String: Shape])
        case array(of: Shape)
        /// Anything; not looked into.
        case value
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
    public static func problem(in bytes: some Collection<UInt8>, shape: Shape) -> Problem? {
        var reader = Reader(bytes: Array(bytes))
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
            case 0x22: _ = try string()
            default: try scalar()
            }
        }

        mutating func object(_ shape: Shape, path: String, depth: Int) throws(Problem) {
            index += 1  // {
            var seen = Set<String>()
            skipSpace()
            if index < bytes.count, bytes[index] == 0x7D {
                index += 1
                return
            }
            while true {
                skipSpace()
                let key = try string()
                let keyPath = path.isEmpty ? key : path + "." + key
                guard seen.insert(key).inserted else { throw .duplicateKey(path: keyPath) }
                var inner = Shape.value
                if case .object(let keys) = shape {
                    guard let known = keys[key] else { throw .unknownKey(path: keyPath, known: keys.keys.sorted()) }
                    inner = known
                }
                skipSpace()
                try expect(0x3A)
                skipSpace()
                try value(inner, path: keyPath, depth: depth + 1)
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
                try value(element, path: "\(path)[\(position)]", depth: depth + 1)
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
