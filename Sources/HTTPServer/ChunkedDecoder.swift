/// Decodes a chunked request body (RFC 9112 section 7.1) incrementally, trailers included.
///
/// Feed it the bytes buffered so far; it reports chunk data as ranges of that input (no copy), and
/// refuses bad sizes, overflowing sizes, long extensions and missing CRLFs with 400.
public struct ChunkedDecoder: Sendable {
    /// What the input held.
    public enum Event: Sendable, Equatable {
        /// Body bytes, as a range of the input.
        case data(Range<Int>)
        /// Nothing decodable yet: read more and call again with the unconsumed bytes.
        case needMore
        /// The last chunk and the trailers; the body is complete.
        case end(trailers: [HTTPHeaders.Field])
    }

    enum State: Sendable, Equatable {
        case size
        case data(remaining: Int64)
        case dataEnd
        case trailers
        case done
    }

    private(set) var state: State = .size
    let limits: HTTPLimits
    /// The body bytes decoded so far.
    public private(set) var decodedLength: Int64 = 0

    public init(limits: HTTPLimits = HTTPLimits()) { self.limits = limits }

    /// Whether the terminating chunk and trailers were decoded.
    public var isComplete: Bool { state == .done }

    /// Decodes the start of `input`; returns how many bytes were consumed and what they were.
    /// At most `maximumData` body bytes are reported at once.
    public mutating func next(_ input: UnsafeBufferPointer<UInt8>, maximumData: Int = .max) throws(HTTPProtocolError) -> (consumed: Int, event: Event)
    {
        switch state {
        case .done:
            return (0, .end(trailers: []))
        case .size:
            let lineLimit = 16 + 1 + limits.maximumChunkExtensionLength + 2
            guard let lineEnd = HTTPRequestParser.findCRLF(input, from: 0, limit: lineLimit) else {
                if input.count > lineLimit { throw .badRequest("A chunk-size line is longer than \(lineLimit) bytes.") }
                for byte in input where byte == 0x0A { throw .badRequest("A chunk-size line must end with CRLF.") }
                return (0, .needMore)
            }
            let size = try Self.parseSize(UnsafeBufferPointer(rebasing: input[0..<lineEnd]))
            if size == 0 {
                state = .trailers
            } else {
                state = .data(remaining: size)
            }
            return (lineEnd + 2, .needMore)
        case .data(let remaining):
            guard !input.isEmpty, maximumData > 0 else { return (0, .needMore) }
            let take = Int(min(Int64(min(input.count, maximumData)), remaining))
            decodedLength += Int64(take)
            state = remaining == Int64(take) ? .dataEnd : .data(remaining: remaining - Int64(take))
            return (take, .data(0..<take))
        case .dataEnd:
            guard input.count >= 2 else {
                if let first = input.first, first != 0x0D { throw .badRequest("Chunk data must be followed by CRLF.") }
                return (0, .needMore)
            }
            guard input[0] == 0x0D, input[1] == 0x0A else { throw .badRequest("Chunk data must be followed by CRLF.") }
            state = .size
            return (2, .needMore)
        case .trailers:
            if input.count >= 2, input[0] == 0x0D, input[1] == 0x0A {
                state = .done
                return (2, .end(trailers: []))
            }
            let limit = limits.maximumHeaderBytes + 4
            var index = 0
            while index + 3 < min(input.count, limit) {
                if input[index] == 0x0D, input[index + 1] == 0x0A, input[index + 2] == 0x0D, input[index + 3] == 0x0A {
                    let fields = try HTTPRequestParser.parseFields(UnsafeBufferPointer(rebasing: input[0..<index]), limits: limits)
                    state = .done
                    return (index + 4, .end(trailers: fields))
                }
                index += 1
            }
            if input.count >= limit { throw HTTPProtocolError(431, "The trailer fields are larger than \(limits.maximumHeaderBytes) bytes.") }
            return (0, .needMore)
        }
    }

    /// Decodes through `input` without copying its data, from where the last call stopped: the bytes consumed, and
    /// whether the body (trailers included) ended within them. Fed a growing buffer from the first unconsumed byte,
    /// it reads each byte once, however the body is split.
    public mutating func skip(_ input: UnsafeBufferPointer<UInt8>) throws(HTTPProtocolError) -> (consumed: Int, ended: Bool) {
        var offset = 0
        while true {
            let (consumed, event) = try next(UnsafeBufferPointer(rebasing: input[offset...]))
            offset += consumed
            switch event {
            case .end: return (offset, true)
            case .data: continue
            case .needMore: if consumed == 0 { return (offset, false) }
            }
        }
    }

    /// `1*HEXDIG [ ; ext ]`; at most 16 hex digits and no overflow past Int64.
    static func parseSize(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPProtocolError) -> Int64 {
        var size: Int64 = 0
        var digits = 0
        var index = 0
        while index < line.count, let value = HexDigit.value(line[index]) {
            guard digits < 15 else { throw .badRequest("A chunk size is too large.") }
            size = size << 4 | Int64(value)
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw .badRequest("A chunk size is not hexadecimal.") }
        while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        if index < line.count {
            guard line[index] == 0x3B else { throw .badRequest("A chunk size is followed by something other than an extension.") }
            for byte in line[index...] where !(byte == 0x09 || (byte >= 0x20 && byte != 0x7F)) {
                throw .badRequest("A chunk extension contains a control character.")
            }
        }
        return size
    }
}
