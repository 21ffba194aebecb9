import Foundation
import HTTPServer
import S3Common
import SigV4

/// An S3 error: the code, status and message S3 would answer with, rendered as S3's XML.
public struct S3Error: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var code: S3ErrorCode
    public var message: String
    public var status: Int
    /// Extra elements, such as `<HeadersNotSigned>` or `<StringToSign>`.
    public var details: [(String, String)] = []
    /// Response headers such as `Allow`.
    public var headers: [(String, String)] = []

    public init(_ code: S3ErrorCode, _ message: String, status: Int, details: [(String, String)] = []) {
        self.code = code
        self.message = message
        self.status = status
        self.details = details
    }

    public var description: String { "\(status) \(code.rawValue): \(message)" }

    public func response(for request: HTTPRequest?) -> HTTPResponse { response(for: request, requestID: S3Error.newRequestID()) }

    /// The error document, whose `RequestId` is the one the response's `x-amz-request-id` header carries.
    public func response(for request: HTTPRequest?, requestID: String) -> HTTPResponse {
        var elements: [(name: String, value: String)] = []
        if let request { elements.append(("Resource", request.path)) }
        elements.append(("RequestId", requestID))
        elements.append(contentsOf: details.map { (name: $0.0, value: $0.1) })
        let document = S3ErrorDocument(code: code.rawValue, message: message, details: elements).document(namespaced: false)
        var response = HTTPResponse(status: HTTPStatus(status), contentType: "application/xml", body: document)
        for (name, value) in headers { response.headers.set(name, value) }
        response.headers.set("x-amz-request-id", requestID)
        return response
    }

    /// A SigV4 refusal in S3's code and status, with what the verifier expected (for SignatureDoesNotMatch)
    /// and the unsigned headers.
    public init(_ error: SigV4Error) {
        let (code, status) = Self.s3Code(for: error.reason)
        self.init(code, error.message, status: status)
        if let stringToSign = error.expectedStringToSign { details.append(("StringToSign", stringToSign)) }
        if let canonical = error.expectedCanonicalRequest { details.append(("CanonicalRequest", canonical)) }
        if !error.headersNotSigned.isEmpty { details.append(("HeadersNotSigned", error.headersNotSigned.joined(separator: ","))) }
    }

    /// The code and status S3 answers a SigV4 refusal with.
    static func s3Code(for reason: SigV4Error.Reason) -> (S3ErrorCode, Int) {
        switch reason {
        case .signatureMismatch: (.signatureDoesNotMatch, 403)
        case .clockSkew: (.requestTimeTooSkewed, 403)
        case .unknownAccessKey: (.invalidAccessKeyId, 403)
        case .malformedPresign: (.authorizationQueryParametersError, 400)
        case .malformedHeader: (.authorizationHeaderMalformed, 400)
        case .signatureVersion2, .missingPayloadHash: (.invalidRequest, 400)
        case .unsupportedScheme, .malformedPayloadHash, .malformedForm: (.invalidArgument, 400)
        case .invalidPolicy: (.invalidPolicyDocument, 400)
        default: (.accessDenied, 403)  // expired, not yet valid, anonymous, bad date, token, unsigned headers, policy
        }
    }

    /// A protocol-level refusal from the HTTP server, in S3's words where S3 has them.
    public init(_ error: HTTPProtocolError) {
        let code: S3ErrorCode =
            switch error.status.code {
            case 400: .badRequest
            case 404: .noSuchKey
            case 408: .requestTimeout
            case 411: .missingContentLength
            case 413: .entityTooLarge
            case 414: .keyTooLongError
            case 417: .invalidArgument
            case 431: .requestHeaderSectionTooLarge
            case 501: .notImplemented
            case 505: .httpVersionNotSupported
            default: .internalError
            }
        self.init(code, error.message, status: error.status.code)
    }

    static func newRequestID() -> String {
        Hex.string((0..<8).map { _ in UInt8.random(in: 0...255) }).uppercased()
    }

    static func noSuchBucket(_ bucket: String) -> S3Error {
        S3Error(.noSuchBucket, "The specified bucket does not exist: \(bucket).", status: 404, details: [("BucketName", bucket)])
    }

    static func noSuchKey(_ key: String) -> S3Error {
        S3Error(.noSuchKey, "The specified key does not exist.", status: 404, details: [("Key", key)])
    }

    static func invalidArgument(_ message: String) -> S3Error { S3Error(.invalidArgument, message, status: 400) }

    static func internalError(_ message: String) -> S3Error { S3Error(.internalError, message, status: 500) }

    static func notImplemented(_ what: String) -> S3Error {
        S3Error(.notImplemented, "\(what) is not implemented by the embedded store.", status: 501)
    }
}
