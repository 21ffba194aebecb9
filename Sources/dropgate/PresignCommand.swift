import ArgumentParser
import Foundation
import S3Client
import SigV4

/// `dropgate presign get|put|head|delete s3://BUCKET/KEY`: prints a presigned URL, like `aws s3 presign`.
struct PresignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presign",
        abstract: "Print a presigned URL for an object.",
        discussion: """
            Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; the region from
            AWS_REGION (default us-east-1); the endpoint from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (default AWS).
            Everything after the bucket is the key, taken literally.
            """)

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case get, put, head, delete
    }

    @Argument(help: "The operation: get, put, head or delete.")
    var method: Method

    @Argument(help: "The object, as s3://BUCKET/KEY.")
    var object: String

    @Option(help: "Seconds the URL stays valid (1 to 604800).")
    var expires: Int = 3600

    @Option(help: "The Content-Type the upload must send (signed).")
    var contentType: String?

    @Option(help: "The Content-Length the upload must send (signed).")
    var contentLength: Int64?

    @Option(help: "The base64 SHA-256 the upload must send as x-amz-checksum-sha256 (signed).")
    var checksumSha256: String?

    @Option(help: "The S3 endpoint URL, for example http://127.0.0.1:5002.")
    var endpoint: String?

    @Option(help: "The region of the credential scope.")
    var region: String?

    @Flag(help: "Address the bucket in the path, or as a subdomain (default: as botocore does).")
    var addressing: AddressingFlag?

    @Option(help: "Sign as of this time, YYYYMMDDTHHMMSSZ (default: now).")
    var date: String?

    enum AddressingFlag: String, EnumerableFlag {
        case pathStyle, virtualHosted
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let credentials = try CredentialsFromEnvironment.load(environment)
        let (bucket, key) = try Self.parse(object: object)
        let region = region ?? environment["AWS_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
        let endpointURL = endpoint ?? environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
        let style: S3Endpoint.Addressing =
            switch addressing {
            case .pathStyle: .path
            case .virtualHosted: .virtualHosted
            case nil: .auto
            }
        let s3: S3Endpoint
        do { s3 = try S3Endpoint(url: endpointURL, region: region, addressing: style) } catch { throw CLIError(error.message) }
        guard (1...maximumPresignExpiry).contains(expires) else {
            throw CLIError("--expires must be between 1 and \(maximumPresignExpiry) seconds (7 days); got \(expires).")
        }
        var signDate: AmzDate?
        if let date {
            guard let parsed = AmzDate(timestamp: date) else {
                throw CLIError("--date must be YYYYMMDDTHHMMSSZ, for example 20261129T120000Z; got '\(date)'.")
            }
            signDate = parsed
        }
        var headers: HTTPHeaders = []
        if let contentType { headers.append(.init("Content-Type", contentType)) }
        if let contentLength {
            guard contentLength >= 0 else { throw CLIError("--content-length must not be negative.") }
            headers.append(.init("Content-Length", String(contentLength)))
        }
        if let checksumSha256 {
            guard let digest = Data(base64Encoded: checksumSha256), digest.count == 32 else {
                throw CLIError("--checksum-sha256 must be the base64 of a 32-byte SHA-256 digest.")
            }
            headers.append(.init("x-amz-checksum-sha256", checksumSha256))
        }
        let presigner = S3Presigner(endpoint: s3, credentials: credentials)
        do {
            print(
                try presigner.url(method: method.rawValue.uppercased(), bucket: bucket, key: key, expires: expires, headers: headers, date: signDate))
        } catch {
            throw CLIError(error.message)
        }
    }

    /// Splits `s3://BUCKET/KEY`; the key is everything after the first `/`, taken literally.
    static func parse(object: String) throws -> (bucket: String, key: String) {
        guard object.hasPrefix("s3://") else { throw CLIError("'\(object)' is not an s3://BUCKET/KEY URL.") }
        let rest = object.dropFirst("s3://".count)
        guard let slash = rest.firstIndex(of: "/") else { throw CLIError("'\(object)' names no key: use s3://BUCKET/KEY.") }
        let bucket = String(rest[..<slash])
        let key = String(rest[rest.index(after: slash)...])
        guard !bucket.isEmpty else { throw CLIError("'\(object)' names no bucket: use s3://BUCKET/KEY.") }
        guard !key.isEmpty else { throw CLIError("'\(object)' names no key: use s3://BUCKET/KEY.") }
        guard key.utf8.count <= 1024 else { throw CLIError("The key is \(key.utf8.count) bytes long; S3 allows at most 1024.") }
        return (bucket, key)
    }
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
enum CredentialsFromEnvironment {
    static func load(_ environment: [String: String]) throws -> Credentials {
        guard let accessKey = environment["AWS_ACCESS_KEY_ID"], !accessKey.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else {
            throw CLIError("No credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones).")
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return Credentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token)
    }
}
