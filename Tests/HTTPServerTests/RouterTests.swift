import HTTPServer
import Testing

/// The first route that matches answers, whether the path is found by its one-lookup table of literal routes or by
/// walking the routes.
struct RouterTests {
    static func router() -> Router {
        var router = Router()
        for (method, pattern) in [
            ("GET", "/s/{id}"), ("GET", "/s/raw"), ("*", "/any/{x}"), ("POST", "/any/thing"), ("GET", "/healthz"), ("GET", "/healthz"),
            ("POST", "/api/uploads"), ("GET", "/files/{path...}"),
        ] {
            let name = "\(method) \(pattern)"
            router.add(method, pattern, onEventLoop: pattern == "/healthz") { _, _ in HTTPResponse.text(200, name) }
        }
        return router
    }

    @Test(arguments: [
        ("GET", "/s/raw", "GET /s/{id}"),  // an earlier pattern shadows the literal
        ("POST", "/any/thing", "* /any/{x}"),  // so does an earlier route for any method
        ("GET", "/healthz", "GET /healthz"), ("HEAD", "/healthz", "GET /healthz"), ("GET", "//healthz/", "GET /healthz"),
        ("POST", "/api/uploads", "POST /api/uploads"), ("GET", "/files/a/b", "GET /files/{path...}"),
    ])
    func theFirstMatchingRouteAnswers(method: String, path: String, answeredBy: String) throws {
        let router = Self.router()
        let response = try router.respond(to: HTTPRequest(method: method, target: path), body: .empty())
        #expect(response.status.code == 200)
        if case .bytes(let bytes) = response.body { #expect(String(decoding: bytes, as: UTF8.self) == answeredBy) }
        #expect(router.pattern(matching: HTTPRequest(method: method, target: path)) == String(answeredBy.split(separator: " ")[1]))
    }

    @Test func aPathWithoutItsMethodIs405AndAnUnknownOneTheFallback() throws {
        let router = Self.router()
        let wrongMethod = try router.respond(to: HTTPRequest(method: "DELETE", target: "/api/uploads"), body: .empty())
        #expect(wrongMethod.status.code == 405)
        #expect(wrongMethod.headers["allow"] == "POST")
        #expect(throws: HTTPProtocolError.self) { try router.respond(to: HTTPRequest(method: "GET", target: "/nothing"), body: .empty()) }
        #expect(router.answersOnEventLoop(HTTPRequest(method: "GET", target: "/healthz")))
        #expect(!router.answersOnEventLoop(HTTPRequest(method: "POST", target: "/api/uploads")))
        #expect(!router.answersOnEventLoop(HTTPRequest(method: "GET", target: "/nothing")))
    }
}
