import Foundation
import HTTPServer
import S3Common

extension EmbeddedStore {
    /// The CORS rules in force for `bucket`: PutBucketCors's, else the settings' for it, else the settings' `*`.
    func corsRules(for bucket: String?) -> [CORSRule] {
        guard let bucket else { return configuration.cors["*"] ?? [] }
        if let data = FileManager.default.contents(atPath: corsPath(bucket)), let rules = try? JSONDecoder().decode([CORSRule].self, from: data) {
            return rules
        }
        return configuration.cors[bucket] ?? configuration.cors["*"] ?? []
    }

    func corsPath(_ bucket: String) -> String { "\(disk.root)/buckets/\(bucket).cors" }

    /// Answers a CORS preflight `OPTIONS` (no signature needed, as on S3).
    func preflight(_ request: HTTPRequest, bucket: String?) throws -> HTTPResponse {
        guard let origin = request.headers["origin"], let method = request.headers["access-control-request-method"] else {
            throw S3Error(.badRequest, "Insufficient information. Origin request header needed.", status: 400)
        }
        let requested = (request.headers["access-control-request-headers"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        guard
            let rule = corsRules(for: bucket).first(where: { $0.allows(origin: origin) && $0.allows(method: method) && $0.allows(headers: requested) }
            )
        else {
            throw S3Error(
                .accessForbidden,
                "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
                status: 403)
        }
        var response = HTTPResponse(status: 200)
        response.headers.set("Access-Control-Allow-Origin", rule.allowedOrigins.contains("*") ? "*" : origin)
        response.headers.set("Access-Control-Allow-Methods", rule.allowedMethods.joined(separator: ", "))
        if !requested.isEmpty { response.headers.set("Access-Control-Allow-Headers", requested.joined(separator: ", ")) }
        if !rule.exposeHeaders.isEmpty { response.headers.set("Access-Control-Expose-Headers", rule.exposeHeaders.joined(separator: ", ")) }
        if let maxAge = rule.maxAgeSeconds { response.headers.set("Access-Control-Max-Age", String(maxAge)) }
        response.headers.set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
        return response
    }

    /// Adds CORS headers to an actual (non-preflight) response whose Origin a rule allows.
    func addCORSHeaders(to response: inout HTTPResponse, request: HTTPRequest, bucket: String?) {
        guard request.method != "OPTIONS", let origin = request.headers["origin"] else { return }
        guard let rule = corsRules(for: bucket).first(where: { $0.allows(origin: origin) && $0.allows(method: request.method) }) else { return }
        response.headers.set("Access-Control-Allow-Origin", rule.allowedOrigins.contains("*") ? "*" : origin)
        response.headers.set("Access-Control-Allow-Methods", rule.allowedMethods.joined(separator: ", "))
        if !rule.exposeHeaders.isEmpty { response.headers.set("Access-Control-Expose-Headers", rule.exposeHeaders.joined(separator: ", ")) }
        response.headers.set("Vary", "Origin")
    }

    func putBucketCors(_ request: HTTPRequest, body: HTTPRequestBody, bucket: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        let rules = try S3XML.read(CORSConfiguration.self, try body.readAll(limit: 64 * 1024)).rules
        guard !rules.isEmpty, rules.allSatisfy({ !$0.allowedOrigins.isEmpty && !$0.allowedMethods.isEmpty }) else {
            throw S3Error(.malformedXML, "Each CORSRule needs at least one AllowedOrigin and one AllowedMethod.", status: 400)
        }
        try JSONEncoder().encode(rules).write(to: URL(fileURLWithPath: corsPath(bucket)), options: .atomic)
        return HTTPResponse(status: 200)
    }

    func getBucketCors(bucket: String) throws -> HTTPResponse {
        let rules = corsRules(for: bucket)
        guard !rules.isEmpty else {
            throw S3Error(.noSuchCORSConfiguration, "The CORS configuration does not exist.", status: 404, details: [("BucketName", bucket)])
        }
        return xml(200, CORSConfiguration(rules: rules).document())
    }
}
