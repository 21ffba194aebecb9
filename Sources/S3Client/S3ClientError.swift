import Foundation
import HTTPWire
import S3Common

/// An error answer from the store: HTTP status, S3 code, message and request id.
public struct S3ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    /// The S3 code (`NoSuchKey`, `SignatureDoesNotMatch`, …); for bodiless answers (HEAD), derived from the status.
    public var code: String
    public var message: String
    public var requestID: String?

    public init(status: Int, code: String, message: String, requestID: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// ``code`` when it is one of the codes ``S3ErrorCode`` names; nil for any other.
    public var s3Code: S3ErrorCode? { S3ErrorCode(rawValue: code) }

    public var description: String {
        "S3 \(status) \(code)" + (message.isEmpty ? "" : ": \(message)") + (requestID.map { " (request \($0))" } ?? "")
    }

    /// Parses `<Error><Code/><Message/><RequestId/></Error>`, falling back to the status.
    init(status: Int, body: [UInt8], headers: HTTPHeaders) {
        let requestID = headers["x-amz-request-id"]
        if let document = try? S3ErrorDocument(bytes: body) {
            self.init(status: status, code: document.code, message: document.message, requestID: document.detail("RequestId") ?? requestID)
        } else {
            self.init(status: status, code: Self.code(for: status), message: "", requestID: requestID)
        }
    }

    static func code(for status: Int) -> String {
        switch status {
        case 304: "NotModified"
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 409: "Conflict"
        case 412: "PreconditionFailed"
        default: "HTTP\(status)"
        }
    }
}
