import DropgateAPI
import Foundation
import HTTPServer
import Testing

@testable import Gateway

/// `POST /api/uploads` answered as the event loop answers it: on the loop when it needs no store, else with its rest
/// for a worker; either way counted and logged once, with the answer that is sent.
struct LoopAnswerTests {
    static func declare(_ harness: GatewayHarness, size: Int64) throws -> HTTPLoopAnswer {
        let body = try APIJSON.encode(UploadRequest(filename: "a.bin", size: size))
        var request = HTTPRequest(
            method: "POST", target: "/api/uploads", headers: [.init("Host", "localhost")], framing: .length(Int64(body.count)))
        request.remoteAddress = "127.0.0.1:40000"
        return try harness.gateway.respondOnEventLoop(to: request, body: HTTPRequestBody(bytes: body))
    }

    /// The count of requests to `/api/uploads` the metrics hold with `status`.
    static func counted(_ harness: GatewayHarness, status: Int) -> String? {
        harness.gateway.metrics.text.split(separator: "\n").first {
            $0.hasPrefix("dropgate_http_requests_total") && $0.contains("route=\"/api/uploads\"") && $0.contains("status=\"\(status)\"")
        }.map { String($0.split(separator: " ").last ?? "") }
    }

    @Test func aSmallUploadIsPlannedOnTheLoop() throws {
        let harness = try GatewayHarness()
        guard case .response(let response) = try Self.declare(harness, size: 10) else {
            Issue.record("a single PUT needs no worker")
            return
        }
        #expect(response.status.code == 201)
        #expect(Self.counted(harness, status: 201) == "1")
    }

    @Test func aMultipartUploadIsPlannedOnAWorkerAndCountedOnce() throws {
        let harness = try GatewayHarness()
        guard case .onWorker(let rest) = try Self.declare(harness, size: 6 << 20) else {
            Issue.record("a multipart plan asks the store: it must go to a worker")
            return
        }
        #expect(harness.gateway.metrics.text.contains("route=\"/api/uploads\"") == false)  // nothing counted yet
        let response = try rest()
        #expect(response.status.code == 201)
        #expect(try APIJSON.decode(UploadPlan.self, from: HandlerTransport.bytes(of: response.body)).multipart != nil)
        #expect(Self.counted(harness, status: 201) == "1")
        #expect(Self.counted(harness, status: 500) == nil)
    }
}
