import DropgateAPI
import Foundation
import HTTPServer
import Testing

@testable import Gateway

/// File requests (issue 30), in-process over the embedded store with the clock moved by hand: an upload holds its
/// place until it can no longer be completed and its objects are gone, an expired request takes nothing, and the
/// sweeper keeps what senders handed over.
struct FileRequestTests {
    static func create(_ harness: GatewayHarness, _ terms: FileRequestCreate) throws -> FileRequestCreated {
        let made = try harness.call("POST", "/api/requests", json: terms)
        #expect(made.status == 201, "\(made.text)")
        return try made.decode(FileRequestCreated.self)
    }

    static func declare(_ harness: GatewayHarness, _ id: String, _ name: String = "a.txt", size: Int64 = 4) throws -> GatewayHarness.Answer {
        try harness.call("POST", "/api/requests/\(id)/uploads", json: UploadRequest(filename: name, size: size, contentType: "text/plain"))
    }

    @Test func anUnfinishedUploadHoldsItsPlaceUntilTheSweeperHasDeletedWhatItLeft() throws {
        let harness = try LifecycleTests.harness()
        let id = try Self.create(harness, FileRequestCreate(title: "One file", maxFiles: 1, expiresIn: 86_400)).request.id
        let plan = try Self.declare(harness, id).decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), Array("left".utf8), headers: plan.headers ?? [:]).status == 200)
        #expect(try Self.declare(harness, id, "b.txt").status == 409)
        harness.clock.advance(601)  // the upload can no longer be completed, but its object is still in the bucket
        #expect(try Self.declare(harness, id, "b.txt").status == 409)
        harness.clock.advance(300)  // past the orphan grace: the sweeper deletes the object
        #expect(try LifecycleTests.sweep(harness).orphans == 1)
        #expect(try Self.declare(harness, id, "b.txt").status == 201)
    }

    @Test func anExpiredRequestTakesNothingAndWhatWasHandedOverIsKept() throws {
        let harness = try LifecycleTests.harness()
        let made = try Self.create(harness, FileRequestCreate(title: "Logs", expiresIn: 3_600))
        let id = made.request.id
        let plan = try Self.declare(harness, id).decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), Array("logs".utf8), headers: plan.headers ?? [:]).status == 200)
        let done = try harness.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(collection: true))
        let receipt = try done.decode(VerifiedUpload.self).receipt
        #expect(try harness.call("POST", "/api/requests/\(id)/submissions", json: FileSubmissionRequest(files: [receipt])).status == 201)
        harness.clock.advance(3_601)
        let refused = try Self.declare(harness, id, "late.txt")
        #expect(refused.status == 410 && refused.errorCode == .requestClosed)
        #expect(try harness.call("GET", "/api/requests/\(id)").decode(FileRequestInfo.self).closed == "It has expired.")
        // A day on, past every grace: the handed-over file is the owner's, not an orphan.
        harness.clock.advance(86_400)
        #expect(try LifecycleTests.sweep(harness).orphans == 0)
        let owner: HTTPHeaders = [.init("Authorization", "Bearer \(try #require(made.ownerToken))")]
        let detail = try harness.call("GET", "/api/requests/\(id)/submissions", headers: owner).decode(FileRequestDetail.self)
        let route = try #require(detail.submissions.first?.files.first?.url)
        let link = try harness.call("GET", route, headers: owner)
        let url = try #require(try JSONSerialization.jsonObject(with: Data(link.body)) as? [String: String])["url"]
        #expect(try harness.get(try #require(url)).body == Array("logs".utf8))
    }

    @Test func eachSubmissionIsRecordedOnceAsAnEventWithNothingOfTheSender() throws {
        let harness = try LifecycleTests.harness()
        let id = try Self.create(harness, FileRequestCreate(title: "Told", notify: true)).request.id
        let plan = try Self.declare(harness, id).decode(UploadPlan.self)
        #expect(try harness.put(try harness.requireURL(plan), Array("told".utf8), headers: plan.headers ?? [:]).status == 200)
        let done = try harness.call("POST", "/api/uploads/\(plan.id)/complete", json: CompletionRequest(collection: true))
        let handOver = FileSubmissionRequest(files: [try done.decode(VerifiedUpload.self).receipt], name: "Secret Sender", email: "s@example.org")
        for _ in 0..<2 { #expect(try harness.call("POST", "/api/requests/\(id)/submissions", json: handOver).status == 201) }  // a retry
        let events = try LifecycleTests.keys(harness, FileRequests.root + id + "/events/")
        #expect(events.count == 1)
        let body = String(decoding: try harness.client.getObject(key: events[0]).bytes, as: UTF8.self)
        let event = try APIJSON.decode(FileRequests.Event.self, from: Array(body.utf8))
        #expect(event.type == "request.submitted" && event.files == 1 && event.bytes == 4 && event.request == id)
        #expect(!body.contains("Secret") && !body.contains("example.org") && !body.contains("told"))
    }

    @Test func makingRequestsCountsAgainstTheClientsDeclarationsAMinute() throws {
        let harness = try GatewayHarness { $0.limits.uploadsPerMinute = 3 }
        for _ in 0..<3 { _ = try Self.create(harness, FileRequestCreate(title: "Again")) }
        let refused = try harness.call("POST", "/api/requests", json: FileRequestCreate(title: "One too many"))
        #expect(refused.status == 429 && refused.errorCode == .rateLimited)
        let elsewhere = try harness.call("POST", "/api/requests", json: FileRequestCreate(title: "Another client"), from: "127.0.0.2:40000")
        #expect(elsewhere.status == 201)
    }
}
