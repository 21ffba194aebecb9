/// Routes requests by method and path pattern.
///
/// Patterns are literal segments, `{name}` for one segment, and a final `{name...}` for the rest of
/// the path. Captured values are percent-decoded into ``HTTPRequest/pathParameters``.
///
/// ```swift
/// var router = Router()
/// router.add("GET", "/s/{id}/raw") { request, _ in … request.pathParameters["id"] … }
/// ```
public struct Router: HTTPHandler {
    struct Route: Sendable {
        var method: String
        var pattern: String
        var segments: [Segment]
        var handler: any HTTPHandler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rest(String)
    }

    private var routes: [Route] = []
    /// Answers requests no route matches (default: 404).
    public var fallback: any HTTPHandler = HTTPHandlerFunction { request, _ in
        throw HTTPProtocolError(404, "No route for \(request.method) \(request.path).")
    }

    /// Query parameters the access log redacts for these routes.
    public var redactedQueryParameters: Set<String> = []

    public init() {}

    /// Adds a route; `method` `*` matches any method.
    public mutating func add(_ method: String, _ pattern: String, _ handler: any HTTPHandler) {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("...}") { return .rest(String(part.dropFirst().dropLast(4))) }
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
    }

    public mutating func add(
        _ method: String, _ pattern: String, _ body: @escaping @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPResponse
    ) {
        add(method, pattern, HTTPHandlerFunction(body))
    }

    public func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let pathSegments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [String] = []
        for route in routes {
            guard let parameters = Self.match(route.segments, pathSegments) else { continue }
            guard route.method == "*" || route.method == request.method || (route.method == "GET" && request.method == "HEAD") else {
                allowed.append(route.method)
                continue
            }
            var routed = request
            routed.pathParameters = parameters
            return try route.handler.respond(to: routed, body: body)
        }
        if !allowed.isEmpty {
            var error = HTTPResponse.text(405, "Method \(request.method) is not allowed here; use \(allowed.joined(separator: ", ")).\n")
            error.headers.set("Allow", allowed.joined(separator: ", "))
            return error
        }
        return try fallback.respond(to: request, body: body)
    }

    /// The pattern of the route that answers `request` (for logs and metrics), or nil for the fallback.
    public func pattern(matching request: HTTPRequest) -> String? {
        let pathSegments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        for route in routes where Self.match(route.segments, pathSegments) != nil {
            if route.method == "*" || route.method == request.method || (route.method == "GET" && request.method == "HEAD") { return route.pattern }
        }
        return nil
    }

    static func match(_ pattern: [Segment], _ path: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (index, segment) in pattern.enumerated() {
            switch segment {
            case .rest(let name):
                guard index < path.count else { return nil }
                parameters[name] = PercentDecoding.decode(path[index...].joined(separator: "/")) ?? ""
                return parameters
            case .literal(let literal):
                guard index < path.count, path[index] == literal else { return nil }
            case .parameter(let name):
                guard index < path.count, let value = PercentDecoding.decode(path[index]) else { return nil }
                parameters[name] = value
            }
        }
        return pattern.count == path.count ? parameters : nil
    }
}
