extension JSONParser {
    /// A string at `position` (its opening quote): escapes decoded, surrogate pairs joined, control characters and bad
    /// UTF-8 refused.
    mutating func string() throws(JSONSyntaxError) -> String {
        position += 1
        let start = position
        // Most strings have no escape: their bytes are taken whole.
        while position < bytes.count, bytes[position] != 0x22, bytes[position] != 0x5C, bytes[position] >= 0x20 { position += 1 }
        guard position < bytes.count else { throw failure("a string is not closed") }
        if bytes[position] == 0x22 {
            defer { position += 1 }
            return try text(bytes[start..<position])
        }
        var out = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case 0x22:
                position += 1
                return try text(out[...])
            case 0x5C:
                position += 1
                try escape(into: &out)
            case 0..<0x20:
                throw failure("a control character must be escaped in a string")
            default:
                out.append(byte)
                position += 1
            }
        }
        throw failure("a string is not closed")
    }

    private func text(_ utf8: ArraySlice<UInt8>) throws(JSONSyntaxError) -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
        return text
    }

    private mutating func escape(into out: inout [UInt8]) throws(JSONSyntaxError) {
        guard position < bytes.count else { throw failure("a string is not closed") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case 0x22, 0x5C, 0x2F: out.append(byte)
        case 0x62: out.append(0x08)
        case 0x66: out.append(0x0C)
        case 0x6E: out.append(0x0A)
        case 0x72: out.append(0x0D)
        case 0x74: out.append(0x09)
        case 0x75:
            var scalar = try hexQuad()
            if (0xD800..<0xDC00).contains(scalar) {
                guard position + 1 < bytes.count, bytes[position] == 0x5C, bytes[position + 1] == 0x75 else {
                    throw failure("a high surrogate must be followed by a low one")
                }
                position += 2
                let low = try hexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("a high surrogate must be followed by a low one") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure("a low surrogate without a high one")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("not a Unicode scalar") }
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw failure("unknown escape")
        }
    }

    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("\\u needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = HexDigit.value(bytes[position]) else { throw failure("\\u needs four hex digits") }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}
