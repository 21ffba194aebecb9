import Foundation
import SigV4
import Testing

/// One case of the official SigV4 test suite in `Tests/Fixtures/sigv4/<name>/`.
struct SigV4Vector: Sendable, CustomTestStringConvertible {
    struct Context: Decodable, Sendable {
        struct Keys: Decodable, Sendable {
            var accessKeyId: String
            var secretAccessKey: String
            var token: String?
        }
        var credentials: Keys
        var expirationInSeconds: Int
        var normalize: Bool
        var region: String
        var service: String
        var signBody: Bool
        var timestamp: String
        var omitSessionToken: Bool?
    }

    var name: String
    var context: Context
    var request: SignableRequest
    var body: [UInt8]
    var testDescription: String { name }

    func expected(_ file: String) -> String { TestData.text("sigv4/\(name)/\(file)") }

    var date: AmzDate {
        let digits = context.timestamp.filter { $0.isNumber }
        return AmzDate(timestamp: "\(digits.prefix(8))T\(digits.dropFirst(8).prefix(6))Z")!
    }

    var payload: Payload {
        .sha256Hex(context.signBody ? Digest.sha256Hex(body) : Payload.emptySHA256)
    }

    var signer: Signer {
        Signer(
            credentials: Credentials(
                accessKeyID: context.credentials.accessKeyId, secretAccessKey: context.credentials.secretAccessKey,
                sessionToken: context.credentials.token),
            region: context.region, service: context.service,
            options: SigningOptions(pathEncoding: .double, normalizesPath: context.normalize))
    }

    static let all: [SigV4Vector] = {
        let folder = TestData.root.appendingPathComponent("sigv4")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let cases = names.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/context.json").path) }
        return cases.sorted().compactMap { name in
            let contextData = TestData.data("sigv4/\(name)/context.json")
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            guard let context = try? decoder.decode(Context.self, from: contextData) else { return nil }
            let (request, body) = parseRequest(TestData.text("sigv4/\(name)/request.txt"))
            return SigV4Vector(name: name, context: context, request: request, body: body)
        }
    }()

    /// Parses the suite's request format: LF line endings, `Name:value` headers, obs-fold continuation lines,
    /// a raw (unencoded) path, and an optional body after an empty line.
    static func parseRequest(_ text: String) -> (SignableRequest, [UInt8]) {
        let (head, headers, body) = splitMessage(text)
        let requestLine = head.dropLast(" HTTP/1.1".count)
        let space = requestLine.firstIndex(of: " ")!
        let method = String(requestLine[..<space])
        let target = String(requestLine[requestLine.index(after: space)...])
        return (SignableRequest(method: method, target: target, headers: HTTPHeaders(headers)), body)
    }

    /// Splits a signed-request file into its first line, headers and body.
    static func splitMessage(_ text: String) -> (String, [SignableRequest.Header], [UInt8]) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        let first = String(lines.removeFirst())
        var headers: [SignableRequest.Header] = []
        while let line = lines.first, !line.isEmpty {
            lines.removeFirst()
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            let colon = line.firstIndex(of: ":")!
            headers.append(.init(String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        let body = lines.dropFirst().joined(separator: "\n")
        return (first, headers, Array(body.utf8))
    }
}
