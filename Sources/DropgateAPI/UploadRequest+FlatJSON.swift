extension UploadRequest {
    /// Reads the common shape of the body without `JSONDecoder`: one flat object of the known fields, strings without
    /// escapes or control characters, whole numbers of at most 15 digits. Anything else (an escape, a nested
    /// `encryption`, `null`, an unknown or repeated key, a fraction, bad UTF-8, trailing bytes) gives nil, and the
    /// caller decodes with ``APIJSON``, which then gives the answer or the error it always gave. What this reads, it
    /// reads exactly as ``APIJSON`` would (the tests compare the two on mutated bodies).
    public static func parseFlat(_ bytes: [UInt8]) -> UploadRequest? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = FlatObjectReader(bytes: buffer)
            return reader.read()
        }
    }
}

/// The reader behind ``UploadRequest/parseFlat(_:)``.
private struct FlatObjectReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func read() -> UploadRequest? {
        var request = UploadRequest()
        var seen: UInt8 = 0  // one bit per field read, so that a repeated field goes to JSONDecoder
        skipWhitespace()
        guard take(0x7B) else { return nil }
        skipWhitespace()
        if !take(0x7D) {
            repeat {
                skipWhitespace()
                // A key is matched on its bytes: no string is made for it.
                guard let key = rawString(), let field = Field(UnsafeBufferPointer(rebasing: bytes[key])), seen & field.rawValue == 0 else {
                    return nil
                }
                seen |= field.rawValue
                skipWhitespace()
                guard take(0x3A) else { return nil }
                skipWhitespace()
                switch field {
                case .filename:
                    guard let value = string() else { return nil }
                    request.filename = value
                case .contentType:
                    guard let value = string() else { return nil }
                    request.contentType = value
                case .sha256:
                    guard let value = string() else { return nil }
                    request.sha256 = value
                case .mode:
                    guard let value = string(), let mode = UploadMode(rawValue: value) else { return nil }
                    request.mode = mode
                case .size:
                    guard let value = wholeNumber() else { return nil }
                    request.size = value
                case .expiresIn:
                    guard let value = wholeNumber() else { return nil }
                    request.expiresIn = value
                case .maxDownloads:
                    guard let value = wholeNumber() else { return nil }
                    request.maxDownloads = value
                }
                skipWhitespace()
            } while take(0x2C)
            guard take(0x7D) else { return nil }
        }
        skipWhitespace()
        return position == bytes.count ? request : nil
    }

    /// A field this reader knows, each with a bit of its own (so that a repeated one is seen).
    enum Field: UInt8 {
        case filename = 1
        case contentType = 2
        case sha256 = 4
        case mode = 8
        case size = 16
        case expiresIn = 32
        case maxDownloads = 64

        /// The field named by exactly these bytes; nil for any other key (which the general decoder takes).
        init?(_ key: UnsafeBufferPointer<UInt8>) {
            let field: Field? =
                switch key.count {
                case 4: Self.matches(key, "mode") ? .mode : Self.matches(key, "size") ? .size : nil
                case 6: Self.matches(key, "sha256") ? .sha256 : nil
                case 8: Self.matches(key, "filename") ? .filename : nil
                case 9: Self.matches(key, "expiresIn") ? .expiresIn : nil
                case 11: Self.matches(key, "contentType") ? .contentType : nil
                case 12: Self.matches(key, "maxDownloads") ? .maxDownloads : nil
                default: nil
                }
            guard let field else { return nil }
            self = field
        }

        private static func matches(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
            name.withUTF8Buffer { $0.elementsEqual(key) }
        }
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// A string without escapes or control characters, in valid UTF-8.
    mutating func string() -> String? {
        guard let range = rawString() else { return nil }
        return String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Where the bytes of a string without escapes or control characters lie, between its quotes (not yet checked
    /// as UTF-8).
    mutating func rawString() -> Range<Int>? {
        guard take(0x22) else { return nil }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x22 {
                position += 1
                return start..<(position - 1)
            }
            if byte == 0x5C || byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// `-?(0|[1-9][0-9]*)` of at most 15 digits, not followed by a fraction or an exponent.
    mutating func wholeNumber() -> Int64? {
        let negative = take(0x2D)
        let start = position
        var value: Int64 = 0
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) {
            value = value * 10 + Int64(bytes[position] - 0x30)
            position += 1
        }
        let digits = position - start
        guard digits > 0, digits <= 15, digits == 1 || bytes[start] != 0x30 else { return nil }
        if position < bytes.count, bytes[position] == 0x2E || bytes[position] | 0x20 == 0x65 { return nil }  // . e E
        return negative ? -value : value
    }
}
