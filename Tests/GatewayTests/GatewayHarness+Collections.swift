import DropgateAPI
import Foundation
import HTTPServer

@testable import Gateway

extension GatewayHarness {
    /// Declares, uploads and verifies a file for a collection (`"collection": true`); its receipt.
    func receipt(_ name: String, _ bytes: [UInt8], type: String = "text/plain", headers: HTTPHeaders = []) throws -> String {
        let plan = try declare(UploadRequest(filename: name, size: Int64(bytes.count), contentType: type), headers: headers).decode(UploadPlan.self)
        let stored = try put(try requireURL(plan), bytes, headers: plan.headers ?? [:])
        guard stored.status == 200 else { throw HarnessError(description: "the store answered \(stored.status)") }
        let verified = try call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(collection: true))
        guard verified.status == 200 else { throw HarnessError(description: "completing answered \(verified.status): \(verified.text)") }
        return try verified.decode(VerifiedUpload.self).receipt
    }

    /// `POST /api/shares` of these receipts.
    func collect(
        _ receipts: [String], password: String? = nil, maxDownloads: Int64? = nil, expiresIn: Int64? = nil, headers: HTTPHeaders = []
    ) throws -> Answer {
        try call(
            "POST", "/api/shares", json: ShareRequest(files: receipts, expiresIn: expiresIn, maxDownloads: maxDownloads, password: password),
            headers: headers)
    }

    /// `POST /s/{id}/unlock` with a password form.
    func unlock(_ id: String, _ password: String, from peer: String = "127.0.0.1:40000") throws -> Answer {
        try call(
            "POST", "/s/\(id)/unlock", body: Array("password=\(password)".utf8),
            headers: [.init("Content-Type", "application/x-www-form-urlencoded")], from: peer)
    }
}
