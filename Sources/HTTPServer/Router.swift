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
        /// The route's work never blocks (see ``HTTPHandler/answersOnEventLoop(_:)``).
        var onEventLoop: Bool
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

    /// Adds a route; `method` `*` matches any method. `onEventLoop`: its work never blocks, so it is answered on the
    /// event loop that read the request (see ``HTTPHandler/answersOnEventLoop(_:)``).
    public mutating func add(_ method: String, _ pattern: String, onEventLoop: Bool = false, _ handler: any HTTPHandler) {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("...}") { return .rest(String(part.dropFirst().dropLast(4))) }
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler, onEventLoop: onEventLoop))
    }

    public mutating func add(
        _ method: String, _ pattern: String, onEventLoop: Bool = false,
        _ body: @escaping @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPResponse
    ) {
        add(method, pattern, onEventLoop: onEventLoop, HTTPHandlerFunction(body))
    }

    /// The route a request resolved to: its index and captured parameters, or the methods the path allows when no
    /// route takes the request's method (none: the fallback answers).
    public struct Resolution: Sendable {
        let index: Int?
        let parameters: [String: String]
        let allowed: [String]
    }

    /// Finds the route of `request` once; pass the answer to ``respond(to:body:resolution:)`` and ``pattern(of:)``.
    public func resolve(_ request: HTTPRequest) -> Resolution {
        let pathSegments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [String] = []
        for (index, route) in routes.enumerated() {
            guard let parameters = Self.match(route.segments, pathSegments) else { continue }
            guard route.method == "*" || route.method == request.method || (route.method == "GET" && request.method == "HEAD") else {
                allowed.append(route.method)
                continue
            }
            return Resolution(index: index, parameters: parameters, allowed: [])
        }
        return Resolution(index: nil, parameters: [:], allowed: allowed)
    }

    public func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        try respond(to: request, body: body, resolution: resolve(request))
    }

    /// Answers `request` through the route ``resolve(_:)`` found for it.
    public func respond(to request: HTTPRequest, body: HTTPRequestBody, resolution: Resolution) throws -> HTTPResponse {
        if let index = resolution.index {
            var routed = request
            routed.pathParameters = resolution.parameters
            return try routes[index].handler.respond(to: routed, body: body)
        }
        if !resolution.allowed.isEmpty {
            let allowed = resolution.allowed.joined(separator: ", ")
            var error = HTTPResponse.text(405, "Method \(request.method) is not allowed here; use \(allowed).\n")
            error.headers.set("Allow", allowed)
            return error
        }
        return try fallback.respond(to: request, body: body)
    }

    /// The pattern of the route that answers `request` (for logs and metrics), or nil for the fallback.
    public func pattern(matching request: HTTPRequest) -> String? { pattern(of: resolve(request)) }

    /// The pattern of a resolved route, or nil for the fallback.
    public func pattern(of resolution: Resolution) -> String? { resolution.index.map { routes[$0].pattern } }

    /// Whether the route that answers `request` was added with `onEventLoop` (the fallback never is).
    public func answersOnEventLoop(_ request: HTTPRequest) -> Bool {
        resolve(request).index.map { routes[$0].onEventLoop } ?? false
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
