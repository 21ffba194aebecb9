import CurlHTTP
import DropgateAPI
import DropgateClient
import Gateway
import HTTPServer
import HTTPWire

/// Shares made through a gateway in this process, as a client would (declare, PUT to the store, complete), with an
/// optional bearer token; and other calls to it.
struct BenchSharing {
    let gateway: Gateway
    let web: WebClient
    var bearer: String? = nil

    private var headers: HTTPHeaders { bearer.map { HTTPHeaders([.init("Authorization", "Bearer \($0)")]) } ?? HTTPHeaders() }

    /// One share of a 5-byte file named `name`.
    func share(name: String) throws {
        let declaration = try APIJSON.encode(UploadRequest(filename: name, size: 5, contentType: "text/plain"))
        let planned = try gateway.respond(
            to: HTTPRequest(method: "POST", target: "/api/uploads", headers: headers, framing: .length(Int64(declaration.count))),
            body: HTTPRequestBody(bytes: declaration))
        guard planned.status.code == 201, case .bytes(let body) = planned.body, let plan = try? APIJSON.decode(UploadPlan.self, from: body),
            case .put(let url, let signed) = plan.send
        else { throw ClientError("declaring an upload answered \(planned.status.code)") }
        let signedHeaders = HTTPHeaders(
            signed.filter { $0.key != "Content-Length" }.sorted { $0.key < $1.key }.map { .init($0.key, $0.value) })
        let stored = try web.request(method: "PUT", url: url, headers: signedHeaders, body: Array("share".utf8))
        guard stored.status == 200 else { throw ClientError("the store answered \(stored.status) to the PUT") }
        try expect(201, "POST", "/api/uploads/\(plan.id)/complete")
    }

    /// The body of a call the gateway must answer with `status`.
    @discardableResult
    func expect(_ status: Int, _ method: String, _ target: String) throws -> [UInt8] {
        let answer = try gateway.respond(to: HTTPRequest(method: method, target: target, headers: headers), body: HTTPRequestBody(bytes: []))
        guard answer.status.code == status, case .bytes(let body) = answer.body else {
            throw ClientError("\(method) \(target) answered \(answer.status.code)")
        }
        return body
    }
}
