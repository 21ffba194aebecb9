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
    /// A class, so that walking the table to resolve a request copies a reference per route, not its strings.
    final class Route: Sendable {
        let method: String
        let pattern: String
        let segments: [Segment]
        let handler: any HTTPHandler
        /// The route's work never blocks (see ``HTTPHandler/answersOnEventLoop(_:)``).
        let onEventLoop: Bool

        init(method: String, pattern: String, segments: [Segment], handler: any HTTPHandler, onEventLoop: Bool) {
            self.method = method
            self.pattern = pattern
            self.segments = segments
            self.handler = handler
            self.onEventLoop = onEventLoop
        }
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rest(String)
    }

    private var routes: [Route] = []
    /// Routes of literal segments only, by path (`/api/uploads`) and method, that no earlier route shadows: a request
    /// for exactly that path and method resolves with one lookup. Anything else walks the table.
    private var literalRoutes: [String: [String: Int]] = [:]
    /// Answers requests no route matches (default: 404).
    public var fallback: any HTTPHandler = HTTPHandlerFunction { request, _ in
        throw HTTPProtocolError(404, "No route for \(request.method) \(request.path).")
    }

    /// Query parameters the access log redacts for these routes.
    public var redactedQueryParameters: Set<String> = []

    /// The largest body any route reads, read whole into memory before its handler runs (see
    /// ``HTTPHandler/bufferedBodyLimit(_:)``); nil: bodies stream.
    public var inMemoryBodyLimit: Int?

    public func bufferedBodyLimit(_ request: HTTPRequest) -> Int? { inMemoryBodyLimit }

    public init() {}

    /// Adds a route; `method` `*` matches any method. `onEventLoop`: its work never blocks, so it is answered on the
    /// event loop that read the request (see ``HTTPHandler/answersOnEventLoop(_:)``).
    public mutating func add(_ method: String, _ pattern: String, onEventLoop: Bool = false, _ handler: any HTTPHandler) {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("...}") { return .rest(String(part.dropFirst().dropLast(4))) }
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
        let route = Route(method: method, pattern: pattern, segments: segments, handler: handler, onEventLoop: onEventLoop)
        let literals = segments.compactMap { segment -> Substring? in if case .literal(let text) = segment { Substring(text) } else { nil } }
        if method != "*", literals.count == segments.count {
            let shadowed = routes.contains { ($0.method == method || $0.method == "*") && Self.match($0.segments, literals) != nil }
            let path = "/" + literals.joined(separator: "/")
            if !shadowed && literalRoutes[path]?[method] == nil { literalRoutes[path, default: [:]][method] = routes.count }
        }
        routes.append(route)
    }

    public mutating func add(
        _ method: String, _ pattern: String, onEventLoop: Bool = false,
        _ body: @escaping @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPResponse
    ) {
        add(method, pattern, onEventLoop: onEventLoop, HTTPHandlerFunction(body))
    }

    /// Adds a route answered on the event loop that read the request (see ``HTTPHandler/answersOnEventLoop(_:)``):
    /// `body` never blocks, and returns the response, or the blocking rest of the work for a worker. On a worker (a
    /// body that was not all there, a turn's fill of requests) the same closure runs, and then the rest at once.
    public mutating func addOnEventLoop(
        _ method: String, _ pattern: String, _ body: @escaping @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPLoopAnswer
    ) {
        add(method, pattern, onEventLoop: true, LoopHandlerFunction(body: body))
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
        if let index = literalRoutes[request.path]?[request.method] { return Resolution(index: index, parameters: [:], allowed: []) }
        let pathSegments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [String] = []
        for index in routes.indices {
            let route = routes[index]
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

    public func respondOnEventLoop(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPLoopAnswer {
        try respondOnEventLoop(to: request, body: body, resolution: resolve(request))
    }

    /// Answers `request` on the event loop through the route ``resolve(_:)`` found for it.
    public func respondOnEventLoop(to request: HTTPRequest, body: HTTPRequestBody, resolution: Resolution) throws -> HTTPLoopAnswer {
        guard let index = resolution.index else { return .response(try respond(to: request, body: body, resolution: resolution)) }
        var routed = request
        routed.pathParameters = resolution.parameters
        return try routes[index].handler.respondOnEventLoop(to: routed, body: body)
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
        let endsInRest = if case .rest = pattern.last { true } else { false }
        // A `{rest...}` takes at least one segment; without one, the counts match exactly.
        guard endsInRest ? path.count >= pattern.count : path.count == pattern.count else { return nil }
        for index in pattern.indices {
            if case .literal(let literal) = pattern[index], path[index] != literal { return nil }
        }
        var parameters: [String: String] = [:]
        for index in pattern.indices {
            switch pattern[index] {
            case .literal: continue
            case .parameter(let name):
                guard let value = PercentDecoding.decode(path[index]) else { return nil }
                parameters[name] = value
            case .rest(let name):
                parameters[name] = PercentDecoding.decode(path[index...].joined(separator: "/")) ?? ""
            }
        }
        return parameters
    }
}

/// A route's closure that answers on the event loop (see ``Router/addOnEventLoop(_:_:_:)``).
struct LoopHandlerFunction: HTTPHandler {
    let body: @Sendable (HTTPRequest, HTTPRequestBody) throws -> HTTPLoopAnswer

    func respondOnEventLoop(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPLoopAnswer { try self.body(request, body) }

    func respond(to request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        switch try self.body(request, body) {
        case .response(let response): response
        case .onWorker(let work): try work()
        }
    }
}
