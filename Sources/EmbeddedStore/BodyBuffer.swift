/// A read-ahead buffer over a ``BodySource`` for the parsers that need lines and delimiters
/// (aws-chunked chunk headers, multipart/form-data boundaries).
final class BodyBuffer {
    private let source: BodySource
    private(set) var bytes: [UInt8] = []
    /// The first unread byte of ``bytes``.
    var start = 0
    /// The error to throw when the body ends before the parser is done.
    private let endedEarly: S3Error

    init(source: BodySource, endedEarly: S3Error) {
        self.source = source
        self.endedEarly = endedEarly
    }

    var available: Int { bytes.count - start }

    /// Makes at least `minimum` unread bytes available, or throws `endedEarly`.
    func fill(_ minimum: Int) throws {
        guard available < minimum else { return }
        if start > 0 {
            bytes.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while bytes.count < minimum {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            guard count > 0 else { throw endedEarly }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// The first index at or after `from` where `needle` starts, among the buffered bytes.
    func find(_ needle: [UInt8], from index: Int) -> Int? {
        guard bytes.count - index >= needle.count else { return nil }
        var position = index
        let last = bytes.count - needle.count
        while position <= last {
            if bytes[position] == needle[0] && bytes[position..<(position + needle.count)].elementsEqual(needle) { return position }
            position += 1
        }
        return nil
    }

    /// Reads one CRLF-terminated line of at most `maximum` bytes; `tooLong` when longer.
    func readLine(maximum: Int, tooLong: S3Error) throws -> String {
        while true {
            if let end = find([0x0D, 0x0A], from: start) {
                let line = String(decoding: bytes[start..<end], as: UTF8.self)
                start = end + 2
                return line
            }
            guard available < maximum else { throw tooLong }
            try fill(available + 1)
        }
    }

    /// Copies `count` buffered bytes into `target` and consumes them.
    func take(_ count: Int, into target: UnsafeMutableRawBufferPointer) {
        bytes.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<(start + count)])) }
        start += count
    }
}
