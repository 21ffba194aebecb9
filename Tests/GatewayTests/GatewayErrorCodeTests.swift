import DropgateAPI
import EndToEnd
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
        var code: APIErrorCode
        var unreachable = false
        var configure: @Sendable (inout GatewaySettings) -> Void = { _ in }
        var send: @Sendable (GatewayHarness) throws -> GatewayHarness.Answer
        var testDescription: String { "\(code.rawValue): \(name)" }
    }

    static func declaring(_ json: String, target: String = "/api/uploads", headers: HTTPHeaders = [])
        -> @Sendable (GatewayHarness) throws
        -> GatewayHarness.Answer
    {
        { try $0.call("POST", target, body: Array(json.utf8), headers: headers) }
    }

    static let cases: [Case] = [
        Case(name: "over maxBytes", status: 413, code: .uploadTooLarge, send: declaring(#"{"filename":"a.bin","size":99999999999999}"#)),
        Case(name: "text/html", status: 415, code: .typeNotAllowed, send: declaring(#"{"filename":"a.html","size":1,"contentType":"text/html"}"#)),
        Case(name: "html named, octet-stream declared", status: 415, code: .typeNotAllowed, send: declaring(#"{"filename":"a.html","size":1}"#)),
        Case(name: "no filename", status: 400, code: .invalidFilename, send: declaring(#"{"size":1}"#)),
        Case(name: "blank filename", status: 400, code: .invalidFilename, send: declaring(#"{"filename":"  ","size":1}"#)),
        Case(name: "numeric filename", status: 400, code: .invalidFilename, send: declaring(#"{"filename":7,"size":1}"#)),
        Case(name: "negative size", status: 400, code: .invalidSize, send: declaring(#"{"filename":"a","size":-1}"#)),
        Case(name: "fractional size", status: 400, code: .invalidSize, send: declaring(#"{"filename":"a","size":1.5}"#)),
        Case(name: "no size", status: 400, code: .invalidSize, send: declaring(#"{"filename":"a"}"#)),
        Case(name: "not a media type", status: 400, code: .invalidContentType, send: declaring(#"{"filename":"a","size":1,"contentType":"png"}"#)),
        Case(
            name: "a list of types", status: 400, code: .invalidContentType,
            send: declaring(#"{"filename":"a.png","size":1,"contentType":"image/png, text/html"}"#)),
        Case(name: "short digest", status: 400, code: .invalidSha256, send: declaring(#"{"filename":"a","size":1,"sha256":"abcd"}"#)),
        Case(name: "a year and more", status: 400, code: .invalidExpiry, send: declaring(#"{"filename":"a","size":1,"expiresIn":99999999999}"#)),
        Case(name: "zero downloads", status: 400, code: .invalidMaxDownloads, send: declaring(#"{"filename":"a","size":1,"maxDownloads":0}"#)),
        Case(name: "ftp", status: 400, code: .invalidMode, send: declaring(#"{"filename":"a","size":1,"mode":"ftp"}"#)),
        Case(name: "not JSON", status: 400, code: .invalidJSON, send: declaring("filename=a")),
        Case(name: "an array", status: 400, code: .invalidJSON, send: declaring("[1]")),
        Case(
            name: "shell for a form", status: 400, code: .shellUnavailable,
            send: declaring(#"{"filename":"a","size":1,"mode":"post"}"#, target: "/api/uploads?format=shell")),
        Case(
            name: "no token", status: 401, code: .unauthorized, configure: { $0.auth.uploadTokens = ["right-token"] },
            send: declaring(#"{"filename":"a","size":1}"#)),
        Case(
            name: "wrong token", status: 401, code: .unauthorized, configure: { $0.auth.uploadTokens = ["right-token"] },
            send: declaring(#"{"filename":"a","size":1}"#, headers: [.init("Authorization", "Bearer wrong-token")])),
        Case(name: "forged upload id", status: 404, code: .unknownUpload, send: { try $0.call("POST", "/api/uploads/eyJ9.AAAA/complete") }),
        Case(
            name: "nothing uploaded", status: 422, code: .uploadMismatch,
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 3)).decode(UploadPlan.self)
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete")
            }),
        Case(
            name: "no parts listed", status: 400, code: .invalidParts,
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "big.bin", size: 6 * 1024 * 1024)).decode(UploadPlan.self)
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(parts: []))
            }),
        Case(
            name: "parts never uploaded", status: 422, code: .multipartFailed,
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "big.bin", size: 6 * 1024 * 1024)).decode(UploadPlan.self)
                let parts = [CompletedPart(partNumber: 1, etag: "0123456789abcdef0123456789abcdef")]
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(parts: parts))
            }),
        Case(
            name: "html declared as a png", status: 422, code: .typeMismatch,
            send: { harness in
                let bytes = Samples.html
                let plan = try harness.declare(UploadRequest(filename: "a.png", size: Int64(bytes.count), contentType: "image/png")).decode(
                    UploadPlan.self)
                _ = try harness.put(try harness.requireURL(plan), bytes, headers: plan.headers ?? [:])
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete")
            }),
        Case(
            name: "the virus scanner is down", status: 503, code: .scannerUnavailable, configure: { $0.uploads.scan.clamd = "tcp://127.0.0.1:9" },
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 5, contentType: "text/plain")).decode(UploadPlan.self)
                _ = try harness.put(try harness.requireURL(plan), Array("clean".utf8), headers: plan.headers ?? [:])
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete")
            }),
        Case(
            name: "completing a revoked share", status: 410, code: .shareUnavailable,
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 5, contentType: "text/plain")).decode(UploadPlan.self)
                _ = try harness.put(try harness.requireURL(plan), Array("clean".utf8), headers: plan.headers ?? [:])
                let done = try harness.call("POST", "/api/uploads/\(plan.id)/complete").decode(Completion.self)
                _ = try harness.call("DELETE", "/api/shares/\(done.share.id)", headers: [.init("Authorization", "Bearer \(done.deleteToken)")])
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete")
            }),
        Case(name: "unknown share", status: 404, code: .unknownShare, send: { try $0.call("GET", "/api/shares/AAAAAAAAAAAAAAAAAAAAAA") }),
        Case(
            name: "expired share", status: 410, code: .shareUnavailable,
            send: { harness in
                let id = try harness.share("a.txt", Array("abc".utf8), expiresIn: 5).share.id
                harness.clock.advance(5)
                return try harness.call("GET", "/api/shares/\(id)")
            }),
        Case(name: "unknown route", status: 404, code: .notFound, send: { try $0.call("GET", "/nothing/here") }),
        Case(name: "missing static file", status: 404, code: .notFound, send: { try $0.call("GET", "/static/none.js") }),
        Case(
            name: "expired storage credentials", status: 503, code: .credentialsExpired,
            configure: { $0.storage.sessionTokenExpiresAt = Date(timeIntervalSince1970: 1_577_836_800) },
            send: declaring(#"{"filename":"a","size":1}"#)),
        Case(
            name: "no such bucket", status: 503, code: .notReady, configure: { $0.storage.bucket = "missing-bucket" },
            send: { try $0.call("GET", "/readyz") }),
        Case(
            name: "the store refuses", status: 502, code: .storageError, configure: { $0.storage.bucket = "missing-bucket" },
            send: declaring(#"{"filename":"big.bin","size":6291456}"#)),
        Case(
            name: "the store is down", status: 503, code: .storageUnreachable, unreachable: true,
            send: { try $0.call("GET", "/api/shares/AAAAAAAAAAAAAAAAAAAAAA") }),
        Case(name: "usage without tokens", status: 404, code: .noTokens, send: { try $0.call("GET", "/api/usage") }),
        Case(
            name: "a completion of the wrong shape", status: 400, code: .invalidCompletion,
            send: { harness in
                let plan = try harness.declare(UploadRequest(filename: "a.txt", size: 3)).decode(UploadPlan.self)
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete", body: Array(#"{"collection":"yes"}"#.utf8))
            }),
        Case(
            name: "an encrypted upload completed alone", status: 400, code: .encryptedNeedsCollection,
            send: { harness in
                let sealed = try #require(SealedFormat.sealedSize(plaintextSize: 1, recordSize: 65_536))
                let declaration = UploadRequest(
                    filename: "a.bin", size: sealed, encryption: EncryptionDeclaration(plaintextSize: 1, recordSize: 65_536))
                let plan = try harness.declare(declaration).decode(UploadPlan.self)
                return try harness.call("POST", "/api/uploads/\(plan.id)/complete")
            }),
        Case(
            name: "more files than a share holds", status: 400, code: .tooManyFiles,
            send: { try $0.call("POST", "/api/shares", json: ShareRequest(files: Array(repeating: "r", count: ShareRecord.maximumFiles + 1))) }),
        Case(
            name: "a password over its length", status: 400, code: .invalidPassword,
            send: { harness in
                let receipt = try harness.receipt("a.txt", Array("abc".utf8))
                let password = String(repeating: "p", count: PasswordHash.maximumLength + 1)
                return try harness.call("POST", "/api/shares", json: ShareRequest(files: [receipt], password: password))
            }),
    ]

    @Test(arguments: cases)
    func everyRefusalHasItsStatusCodeAndAMessage(_ refusal: Case) throws {
        let harness = try GatewayHarness(unreachable: refusal.unreachable, refusal.configure)
        let answer = try refusal.send(harness)
        #expect(answer.status == refusal.status, "\(answer.text)")
        let error = try answer.decode(APIErrorBody.self).error
        #expect(error.code == refusal.code.rawValue)
        #expect(error.message.count > 20)
        #expect(answer.headers["content-type"] == "application/json")
    }

    /// Every code of ``APIErrorCode`` is provoked for real: here, or by the suite named beside it.
    @Test func everyCodeTheGatewayCanAnswerIsCovered() {
        let elsewhere: [APIErrorCode: String] = [
            .alreadyShared: "CollectionTests", .busy: "ShareLedgerTests", .encryptionMismatch: "EncryptedShareTests",
            .invalidEncryption: "EncryptedShareTests", .invalidKeyWrap: "EncryptedShareTests", .noManifest: "EncryptedShareTests",
            .invalidReceipt: "CollectionTests", .notYourUpload: "CollectionTests", .quotaExceeded: "TokenQuotaTests",
            .rateLimited: "ClientLimitTests", .duplicateFile: "test_collections_and_passwords.py",
            .invalidPartNumber: "test_collections_and_passwords.py", .invalidShareRequest: "test_collections_and_passwords.py",
            .noFiles: "test_collections_and_passwords.py", .notMultipart: "test_collections_and_passwords.py",
            .uploadFinished: "test_collections_and_passwords.py", .passwordRequired: "test_collections_and_passwords.py",
            .infected: "test_virus_scan.py", .tooLargeToScan: "test_virus_scan.py", .publicAcl: "test_share_races.py",
            .unknownField: "test_gateway_api.py", .csrfRejected: "test_accounts.py",
            .insufficientScope: "test_accounts_tokens.py", .accountDisabled: "test_accounts_admin.py", .tooManyTokens: "test_accounts_tokens.py",
            .requestFull: "test_file_requests.py", .requestClosed: "FileRequestTests", .unknownRequest: "test_file_requests.py",
            .invalidWebhook: "WebhookTests", .tooManyWebhooks: "WebhookTests", .invalidMail: "MailMessageTests",
            .invalidLink: "ReadableLinkTests", .linkTaken: "ReadableLinkTests", .invalidFolder: "test_folders.py",
            .invalidThumbnail: "test_thumbnails.py",
            // A request the HTTP server refuses before the gateway (HTTPServerTests), and an error no route should throw.
            .badRequest: "HTTPServerTests", .internalError: "none: the answer to a bug",
        ]
        let covered = Set(Self.cases.map(\.code)).union(elsewhere.keys)
        #expect(Set(APIErrorCode.allCases).subtracting(covered).isEmpty, "\(Set(APIErrorCode.allCases).subtracting(covered))")
    }
}
