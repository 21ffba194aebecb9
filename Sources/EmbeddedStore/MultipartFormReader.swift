import Foundation
import HTTPServer

/// Reads a `multipart/form-data` body as a stream: text fields into memory (bounded), and the `file`
/// part as a ``BodySource`` so it streams to disk. Parts after the file are ignored, as S3 does.
final class MultipartFormReader: BodySource {
    private let input: BodyBuffer
    private let delimiter: [UInt8]  // "\r\n--boundary"
    private var fileEnded = false
    /// Bounds on text fields.
    static let maximumFieldBytes = 64 * 1024
    static let maximumFields = 100

    init(source: BodySource, contentType: String) throws {
        guard let range = contentType.range(of: "boundary=") else {
            throw S3Error(.malformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data: no boundary.", status: 400)
        }
        var boundary = contentType[range.upperBound...].split(separator: ";").first.map(String.init) ?? ""
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard !boundary.isEmpty, boundary.utf8.count <= 200 else {
            throw S3Error(.malformedPOSTRequest, "The multipart/form-data boundary is empty or too long.", status: 400)
        }
        self.delimiter = Array("\r\n--\(boundary)".utf8)
        self.input = BodyBuffer(source: source, endedEarly: Self.malformedError("it ended early"))
    }

    /// The text fields up to the file part, and the file part's filename and Content-Type.
    func readFieldsUntilFile() throws -> (fields: [(name: String, value: String)], filename: String, fileContentType: String?) {
        // The body starts with "--boundary\r\n" (the delimiter without its leading CRLF).
        try input.fill(delimiter.count)
        guard input.bytes[input.start..<(input.start + delimiter.count - 2)].elementsEqual(delimiter.dropFirst(2)) else {
            throw malformed("it does not start with the boundary")
        }
        input.start += delimiter.count - 2
        var fields: [(String, String)] = []
        while true {
            try skipLineEnd()
            let headers = try readPartHeaders()
            guard let disposition = headers["content-disposition"], let name = Self.parameter("name", in: disposition) else {
                throw malformed("a part has no Content-Disposition name")
            }
            if name.lowercased() == "file" {
                return (fields, Self.parameter("filename", in: disposition) ?? "", headers["content-type"])
            }
            let value = try readUntilDelimiter(limit: Self.maximumFieldBytes)
            fields.append((name, String(decoding: value, as: UTF8.self)))
            guard fields.count <= Self.maximumFields else { throw malformed("it has more than \(Self.maximumFields) fields") }
            try input.fill(2)
            if input.bytes[input.start] == 0x2D && input.bytes[input.start + 1] == 0x2D {
                throw S3Error(.invalidArgument, "POST requires exactly one file upload per request.", status: 400)
            }
        }
    }

    /// Reads file bytes; 0 when the file part ends.
    func read(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !fileEnded else { return 0 }
        try input.fill(delimiter.count + 1)
        if let match = input.find(delimiter, from: input.start), match == input.start {
            fileEnded = true
            return 0
        }
        // Everything before a possible delimiter start is file data.
        var safe = input.available - (delimiter.count - 1)
        if let match = input.find(delimiter, from: input.start) { safe = match - input.start }
        let count = min(max(safe, 0), target.count)
        guard count > 0 else {
            try input.fill(input.available + 1)
            return try read(into: target)
        }
        input.take(count, into: target)
        return count
    }

    private func readPartHeaders() throws -> [String: String] {
        var headers: [String: String] = [:]
        while true {
            let line = try readLine()
            if line.isEmpty { return headers }
            guard let colon = line.firstIndex(of: ":") else { throw malformed("a part header has no colon") }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard headers.count <= 16 else { throw malformed("a part has too many headers") }
        }
    }

    private func readLine() throws -> String {
        try input.readLine(maximum: 8 * 1024, tooLong: malformed("a part header line is too long"))
    }

    private func skipLineEnd() throws {
        try input.fill(2)
        guard input.bytes[input.start] == 0x0D, input.bytes[input.start + 1] == 0x0A else { throw malformed("a boundary is not followed by CRLF") }
        input.start += 2
    }

    private func readUntilDelimiter(limit: Int) throws -> [UInt8] {
        while true {
            if let match = input.find(delimiter, from: input.start) {
                let value = Array(input.bytes[input.start..<match])
                input.start = match + delimiter.count
                return value
            }
            guard input.available <= limit + delimiter.count else {
                throw S3Error(.maxPostPreDataLengthExceeded, "Your POST request fields preceding the upload file were too large.", status: 400)
            }
            try input.fill(input.available + 1)
        }
    }

    private static func malformedError(_ why: String) -> S3Error {
        S3Error(.malformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data: \(why).", status: 400)
    }

    private func malformed(_ why: String) -> S3Error {
        S3Error(.malformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data: \(why).", status: 400)
    }

    /// The value of `name="…"` in a Content-Disposition.
    static func parameter(_ name: String, in disposition: String) -> String? {
        for part in disposition.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix(name + "=") else { continue }
            return String(trimmed.dropFirst(name.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
