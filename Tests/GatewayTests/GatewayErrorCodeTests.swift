import DropgateAPI
import Foundation
import Gateway
import HTTPServer
import Testing

/// Every error code of the API, each provoked for real in-process, with its status and a message that names the problem.
struct GatewayErrorCodeTests {
    /// One refusal: how to set the gateway up, what to send, and what must come back.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var status: Int
        var code: String
        var unreachable = false
        var configure: @Sendable (inout GatewaySettings) -> Void = { _ in }
        var send: @Sendable (GatewayHarness) throws -> GatewayHarness.Answer
        var testDescription: String { "\(code): \(name)" }
    }

    static func declaring(_ json: String, target: String = "/api/uploads", headers: HTTPHeaders = [])
        -> @Sendable (GatewayHarness) throws
        -> GatewayHarness.Answer
    {
        { try $0.call("POST", target, body: Array(json.utf8), headers: headers) }
    }

    static let cases: [Case] = [
        Case(name: "over maxBytes", status: 413, code: "upload_too_large", send: declaring(#"{"filename":"a.bin","size":99999999999999}"#)),
        Case(name: "text/html", status: 415, code: "type_not_allowed", send: declaring(#"{"filename":"a.html","size":1,"contentType":"text/html"}"#)),
        Case(name: "html named, octet-stream declared", status: 415, code: "type_not_allowed", send: declaring(#"{"filename":"a.html","size":1}"#)),
        Case(name: "no filename", status: 400, code: "invalid_filename", send: declaring(#"{"size":1}"#)),
        Case(name: "blank filename", status: 400, code: "invalid_filename", send: declaring(#"{"filename":"  ","size":1}"#)),
        Case(name: "numeric filename", status: 400, code: "invalid_filename", send: declaring(#"{"filename":7,"size":1}"#)),
        Case(name: "negative size", status: 400, code: "invalid_size", send: declaring(#"{"filename":"a","size":-1}"#)),
        Case(name: "fractional size", status: 400, code: "invalid_size", send: declaring(#"{"filename":"a","size":1.5}"#)),
        Case(name: "no size", status: 400, code: "invalid_size", send: declaring(#"{"filename":"a"}"#)),
        Case(name: "not a media type", status: 400, code: "invalid_content_type", send: declaring(#"{"filename":"a","size":1,"contentType":"png"}"#)),
        Case(
            name: "a list of types", status: 400, code: "invalid_content_type",
            send: declaring(#"{"filename":"a.png","size":1,"contentType":"image/png, text/html"}"#)),
        Case(name: "short digest", status: 400, code: "invalid_sha256", send: declaring(#"{"filename":"a","size":1,"sha256":"abcd"}"#)),
        Case(name: "a year and more", status: 400, code: "invalid_expiry", send: declaring(#"{"filename":"a","size":1,"expiresIn":99999999999}"#)),
        Case(name: "zero downloads", status: 400, code: "invalid_max_downloads", send: declaring(#"{"filename":"a","size":1,"maxDownloads":0}"#)),
        Case(name: "ftp", status: 400, code: "invalid_mode", send: declaring(#"{"filename":"a","size":1,"mode":"ftp"}"#)),
        Case(name: "not JSON", status: 400, code: "invalid_json", send: declaring("filename=a")),
        Case(name: "an array", status: 400, code: "invalid_json", send: declaring("[1]")),
        Case(
            name: "shell for a form", status: 400, code: "shell_unavailable",
            send: declaring(#"{"filename":"a","size":1,"mode":"post"}"#, target: "/api/uploads?format=shell")),
        Case(
            name: "no token", status: 401, code: "unauthorized", configure: { $0.auth.uploadTokens = ["right-token"] },
            send: declaring(#"{"filename":"a","size":1}"#)),
        Case(
            name: "wrong token", status: 401, code: "unauthorized", configure: { $0.auth.uploadTokens = ["right-token"] },
            send: declaring(#"{"filename":"a","size":1}"#, headers: [.init("Authorization", "Bearer wrong-token")])),
        Case(name: "forged upload id", status: 404, code: "unknown_upload", send: { try $0.call("POST", "/api/uploads/eyJ9.AAAA/complete") }),
        Case(
            name: "nothing uploaded", status: 422, code: "upload_mismatch",
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 3)).decode(UploadPlan.self)
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete")
            }),
        Case(
            name: "no parts listed", status: 400, code: "invalid_parts",
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "big.bin", size: 6 * 1024 * 1024)).decode(UploadPlan.self)
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(parts: []))
            }),
        Case(
            name: "parts never uploaded", status: 422, code: "multipart_failed",
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "big.bin", size: 6 * 1024 * 1024)).decode(UploadPlan.self)
                let parts = [CompletedPart(partNumber: 1, etag: "0123456789abcdef0123456789abcdef")]
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(parts: parts))
            }),
        Case(
            name: "html declared as a png", status: 422, code: "type_mismatch",
            send: { harness in
                let bytes = Samples.html
                let plan = try harness.declare(UploadRequest(filename: "a.png", size: Int64(bytes.count), contentType: "image/png")).decode(
                    UploadPlan.self)
                _ = try harness.put(try harness.requireURL(plan), bytes, headers: plan.headers ?? [:])
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete")
            }),
        Case(
            name: "the virus scanner is down", status: 503, code: "scanner_unavailable", configure: { $0.uploads.scan.clamd = "tcp://127.0.0.1:9" },
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 5, contentType: "text/plain")).decode(UploadPlan.self)
                _ = try harness.put(try harness.requireURL(plan), Array("clean".utf8), headers: plan.headers ?? [:])
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete")
            }),
        Case(
            name: "completing a revoked share", status: 410, code: "share_unavailable",
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 5, contentType: "text/plain")).decode(UploadPlan.self)
                _ = try harness.put(try harness.requireURL(plan), Array("clean".utf8), headers: plan.headers ?? [:])
                let done = try harness.call("POST", "/api/uploads/\(plan.id)/complete").decode(Completion.self)
                _ = try harness.call("DELETE", "/api/shares/\(done.share.id)", headers: [.init("Authorization", "Bearer \(done.deleteToken)")])
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete")
            }),
        Case(name: "unknown share", status: 404, code: "unknown_share", send: { try $0.call("GET", "/api/shares/AAAAAAAAAAAAAAAAAAAAAA") }),
        Case(
            name: "expired share", status: 410, code: "share_unavailable",
            send: { harness in
                let id = try harness.share("a.txt", Array("abc".utf8), expiresIn: 5).share.id
                harness.clock.advance(5)
                return try harness.call("GET", "/api/shares/\(id)")
            }),
        Case(name: "unknown route", status: 404, code: "not_found", send: { try $0.call("GET", "/nothing/here") }),
        Case(name: "missing static file", status: 404, code: "not_found", send: { try $0.call("GET", "/static/none.js") }),
        Case(
            name: "expired storage credentials", status: 503, code: "credentials_expired",
            configure: { $0.storage.sessionTokenExpiresAt = Date(timeIntervalSince1970: 1_577_836_800) },
            send: declaring(#"{"filename":"a","size":1}"#)),
        Case(
            name: "no such bucket", status: 503, code: "not_ready", configure: { $0.storage.bucket = "missing-bucket" },
            send: { try $0.call("GET", "/readyz") }),
        Case(
            name: "the store refuses", status: 502, code: "storage_error", configure: { $0.storage.bucket = "missing-bucket" },
            send: declaring(#"{"filename":"big.bin","size":6291456}"#)),
        Case(
            name: "the store is down", status: 503, code: "storage_unreachable", unreachable: true,
            send: { try $0.call("GET", "/api/shares/AAAAAAAAAAAAAAAAAAAAAA") }),
    ]

    @Test(arguments: cases)
    func everyRefusalHasItsStatusCodeAndAMessage(_ refusal: Case) throws {
        let harness = try GatewayHarness(unreachable: refusal.unreachable, refusal.configure)
        let answer = try refusal.send(harness)
        #expect(answer.status == refusal.status, "\(answer.text)")
        let error = try answer.decode(APIErrorBody.self).error
        #expect(error.code == refusal.code)
        #expect(error.message.count > 20)
        #expect(answer.headers["content-type"] == "application/json")
    }

    @Test func everyCodeTheGatewayCanAnswerIsCovered() {
        let covered = Set(Self.cases.map(\.code))
        let documented: Set = [
            "upload_too_large", "type_not_allowed", "invalid_filename", "invalid_size", "invalid_content_type", "invalid_sha256", "invalid_expiry",
            "invalid_max_downloads", "invalid_mode", "invalid_json", "shell_unavailable", "unauthorized", "unknown_upload", "upload_mismatch",
            "invalid_parts", "multipart_failed", "unknown_share", "share_unavailable", "not_found", "credentials_expired", "not_ready",
            "storage_error", "storage_unreachable", "type_mismatch", "scanner_unavailable",
        ]
        #expect(documented.subtracting(covered).isEmpty)
    }
}
