import HTTPServer

/// Where object bytes come from: a plain request body, or a decoded aws-chunked one.
protocol BodySource: AnyObject {
    /// Reads up to `target.count` bytes; 0 at the end.
    func read(into target: UnsafeMutableRawBufferPointer) throws -> Int
}

extension HTTPRequestBody: BodySource {}
