/// Parses request heads strictly, per RFC 9112.
///
/// Refused with 400: obs-fold, whitespace before a colon, characters outside a token in names or
/// methods, control characters in values, bare CR or LF, a missing or repeated Host (HTTP/1.1),
/// Content-Length with Transfer-Encoding, differing or malformed Content-Lengths, `chunked` twice or
/// not last. Unknown transfer codings get 501, other versions 505, long targets 414, big heads 431.
public enum HTTPRequestParser {
    /// The outcome of looking at buffered bytes.
    public enum Result: Sendable {
        /// More bytes are needed.
        case incomplete
        /// A head, and how many bytes of the buffer it used.
        case complete(HTTPRequest, consumed: Int)
    }

    /// Parses the head at the start of `bytes`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) throws(HTTPProtocolError) -> Result {
        var start = 0
        // RFC 9112 2.2: ignore at least one empty line before the request line.
        while start + 1 < bytes.count, bytes[start] == 0x0D, bytes[start + 1] == 0x0A, start < 8 { start += 2 }
        // Each limit is one search bound, and the refusal comes only once every place the end could be was seen, so
        // any split of a head parses as the whole does (the fuzz target checks it): no prefix of a head that fits is
        // refused, and one that does not fit is refused whatever the reads.
        let lineLimit = start + limits.maximumRequestLineLength + 1  // the CR of a line of at most the maximum
        guard let lineEnd = findCRLF(bytes, from: start, limit: lineLimit) else {
            if bytes.count > lineLimit {
                throw HTTPProtocolError(414, "The request line is longer than \(limits.maximumRequestLineLength) bytes.")
            }
            try rejectBareLineBreaks(bytes, from: start, to: bytes.count)
            return .incomplete
        }
        let headStart = lineEnd + 2
        let headLimit = headStart + limits.maximumHeaderBytes + 1  // the final CRLFCRLF after at most the maximum
        guard let headEnd = findHeadEnd(bytes, from: lineEnd, limit: headLimit) else {
            if bytes.count - 3 >= headLimit {
                throw HTTPProtocolError(431, "The request headers are larger than \(limits.maximumHeaderBytes) bytes.")
            }
            return .incomplete
        }
        let (method, target, version) = try parseRequestLine(UnsafeBufferPointer(rebasing: bytes[start..<lineEnd]))
        let fields = try parseFields(UnsafeBufferPointer(rebasing: bytes[headStart..<headEnd]), limits: limits)
        var request = HTTPRequest(method: method, target: target, version: version, headers: HTTPHeaders(fields))
        try applySemantics(&request)
        return .complete(request, consumed: headEnd + 4 - (headEnd == headStart ? 2 : 0))
    }

    /// Parses header or trailer fields (`Name: value` CRLF-separated, no final empty line).
    static func parseFields(_ bytes: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) throws(HTTPProtocolError) -> [HTTPHeaders.Field] {
        var fields: [HTTPHeaders.Field] = []
        // Room for the usual handful, so that a request's fields do not regrow the array line by line.
        fields.reserveCapacity(8)
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = findCRLF(bytes, from: lineStart, limit: bytes.count) ?? bytes.count
            let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
            guard let first = line.first else { throw .badRequest("Empty header line.") }
            if first == 0x20 || first == 0x09 { throw .badRequest("Folded header lines (obs-fold) are not allowed.") }
            guard let colon = line.firstIndex(of: 0x3A) else { throw .badRequest("A header line has no colon.") }
            guard colon > 0 else { throw .badRequest("A header has an empty name.") }
            for byte in line[..<colon] where !isTokenCharacter(byte) {
                if byte == 0x20 || byte == 0x09 { throw .badRequest("Whitespace between a header name and its colon is not allowed.") }
                throw .badRequest("A header name contains a character that is not allowed in a token.")
            }
            var valueStart = colon + 1
            var valueEnd = line.count
            while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            for byte in line[valueStart..<valueEnd] where !(byte == 0x09 || byte >= 0x20) || byte == 0x7F {
                throw .badRequest("A header value contains a control character.")
            }
            fields.append(
                HTTPHeaders.Field(
                    String(decoding: line[..<colon], as: UTF8.self),
                    String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)))
            if fields.count > limits.maximumHeaderCount {
                throw HTTPProtocolError(431, "There are more than \(limits.maximumHeaderCount) header fields.")
            }
            lineStart = lineEnd + 2
        }
        return fields
    }

    static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPProtocolError) -> (String, String, (Int, Int)) {
        guard let firstSpace = line.firstIndex(of: 0x20) else { throw .badRequest("The request line is malformed.") }
        guard let secondSpace = line[(firstSpace + 1)...].firstIndex(of: 0x20) else { throw .badRequest("The request line is malformed.") }
        let method = line[..<firstSpace]
        let target = line[(firstSpace + 1)..<secondSpace]
        let version = line[(secondSpace + 1)...]
        guard !method.isEmpty, method.allSatisfy(isTokenCharacter) else { throw .badRequest("The method is not a valid token.") }
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw .badRequest("The request target is empty or contains whitespace or control characters.")
        }
        guard version.count == 8, version.starts(with: Array("HTTP/".utf8)), version[version.startIndex + 6] == 0x2E,
            let major = digit(version[version.startIndex + 5]), let minor = digit(version[version.startIndex + 7])
        else { throw .badRequest("The HTTP version is malformed.") }
        guard major == 1 else { throw HTTPProtocolError(505, "Only HTTP/1.0 and HTTP/1.1 are supported.") }
        var targetString = String(decoding: UnsafeBufferPointer(rebasing: target), as: UTF8.self)
        if target.first != 0x2F {
            if targetString == "*" {
                guard method.elementsEqual("OPTIONS".utf8) else { throw .badRequest("The target * is only for OPTIONS.") }
            } else if let afterScheme = Self.stripScheme(targetString) {
                // absolute-form (RFC 9112 3.2.2): keep the path and query.
                let afterAuthority = afterScheme
                targetString = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }).map { String(afterAuthority[$0...]) } ?? "/"
                if targetString.hasPrefix("?") { targetString = "/" + targetString }
            } else {
                throw .badRequest("The request target must start with / (origin-form).")
            }
        }
        return (String(decoding: UnsafeBufferPointer(rebasing: method), as: UTF8.self), targetString, (major, minor))
    }

    /// The part after `http://` or `https://`, or nil.
    static func stripScheme(_ target: String) -> Substring? {
        for scheme in ["http://", "https://"] where target.lowercased().hasPrefix(scheme) {
            return target.dropFirst(scheme.count)
        }
        return nil
    }

    /// Host, framing, Expect and Connection.
    static func applySemantics(_ request: inout HTTPRequest) throws(HTTPProtocolError) {
        let isHTTP11 = request.version.minor >= 1
        // One pass over the fields for the five that shape the request (arrays are made only for those present).
        var hostCount = 0
        var transferEncodings: [String] = []
        var contentLengths: [String] = []
        var expectation: String?
        var connectionOptions: [String] = []
        for field in request.headers {
            let name = field.name
            switch name.utf8.count {
            case 4 where name.asciiCaseInsensitiveEquals("host"): hostCount += 1
            case 6 where name.asciiCaseInsensitiveEquals("expect"): if expectation == nil { expectation = field.value }
            case 10 where name.asciiCaseInsensitiveEquals("connection"): connectionOptions.append(field.value)
            case 14 where name.asciiCaseInsensitiveEquals("content-length"): contentLengths.append(field.value)
            case 17 where name.asciiCaseInsensitiveEquals("transfer-encoding"): transferEncodings.append(field.value)
            default: break
            }
        }
        if isHTTP11 && hostCount != 1 { throw .badRequest(hostCount == 0 ? "HTTP/1.1 requests need a Host header." : "More than one Host header.") }
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else { throw .badRequest("A request must not have both Content-Length and Transfer-Encoding.") }
            guard isHTTP11 else { throw .badRequest("Transfer-Encoding is not allowed in HTTP/1.0.") }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map { ASCIIText.trimmed($0).lowercased() }
            guard codings.allSatisfy({ $0 == "chunked" }) else {
                throw HTTPProtocolError(501, "Only the chunked transfer coding is supported; got \(transferEncodings.joined(separator: ", ")).")
            }
            guard codings.count == 1 else { throw .badRequest("chunked must appear exactly once in Transfer-Encoding.") }
            request.framing = .chunked
        } else if contentLengths.count == 1, let length = plainLength(contentLengths[0]) {
            // The usual case, one Content-Length of plain digits, read straight from its bytes.
            request.framing = length > 0 ? .length(length) : .none
        } else if !contentLengths.isEmpty {
            var length: Int64?
            for value in contentLengths.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
                let digits = ASCIIText.trimmed(value)
                guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let parsed = Int64(digits)
                else { throw .badRequest("Content-Length must be a decimal number of at most 18 digits.") }
                guard length == nil || length == parsed else { throw .badRequest("The request has differing Content-Length values.") }
                length = parsed
            }
            request.framing = (length ?? 0) > 0 ? .length(length ?? 0) : .none
        }
        // Only 100-continue is an expectation this server meets; any other value (or an empty one) is ignored, as
        // RFC 9110 §10.1.1 allows and S3 does, rather than refused with 417.
        if let expectation, ASCIIText.trimmed(expectation).lowercased() == "100-continue" {
            request.expectsContinue = isHTTP11
        }
        let connection = connectionOptions.flatMap { $0.split(separator: ",") }.map { ASCIIText.trimmed($0).lowercased() }
        request.keepAlive = isHTTP11 ? !connection.contains("close") : connection.contains("keep-alive")
    }

    /// A Content-Length value of 1 to 18 digits and nothing else (the parser trimmed it), or nil for any other, which
    /// the general rules then read or refuse.
    static func plainLength(_ value: String) -> Int64? {
        value.withUTF8Bytes { digits -> Int64? in
            guard (1...18).contains(digits.count) else { return nil }
            var length: Int64 = 0
            for digit in digits {
                guard digit >= 0x30 && digit <= 0x39 else { return nil }
                length = length &* 10 &+ Int64(digit &- 0x30)
            }
            return length
        }
    }

    /// The index of the next CRLF at or after `from`, looking no further than `limit`; a bare CR or LF throws.
    static func findCRLF(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, limit: Int) -> Int? {
        var index = from
        let end = min(bytes.count, limit)
        while index < end {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { return index }
            index += 1
        }
        return nil
    }

    /// The index of the CRLF that ends the last header line (the one before the empty line).
    /// For a request with no headers, that is the request line's own CRLF.
    static func findHeadEnd(_ bytes: UnsafeBufferPointer<UInt8>, from requestLineEnd: Int, limit: Int) -> Int? {
        var index = requestLineEnd
        let end = min(bytes.count - 3, limit)
        while index < end {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 3] == 0x0A {
                return index == requestLineEnd ? requestLineEnd + 2 : index
            }
            index += 1
        }
        return nil
    }

    static func rejectBareLineBreaks(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) throws(HTTPProtocolError) {
        for index in from..<to where bytes[index] == 0x0A && (index == from || bytes[index - 1] != 0x0D) {
            throw .badRequest("Lines must end with CRLF; a bare LF was found.")
        }
    }

    @inline(__always)
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    static func digit(_ byte: UInt8) -> Int? { (0x30...0x39).contains(byte) ? Int(byte - 0x30) : nil }
}
