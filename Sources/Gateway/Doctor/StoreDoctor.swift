import CurlHTTP
import Foundation
import HTTPServer
import HTTPWire
import S3Client
import S3Common
import SigV4

/// Checks a configured store for real: credentials, bucket, clock, CORS, POST policies, If-None-Match, lifecycle rules,
/// public access.
public struct StoreDoctor: Sendable {
    /// One line of the report.
    public struct Finding: Sendable, Hashable {
        public var check: String
        public var passed: Bool
        public var detail: String
        /// What to do about a failure.
        public var fix: String?
    }

    let settings: GatewaySettings
    let client: S3Client
    let publicEndpoint: S3Endpoint
    let web: WebClient
    let now: @Sendable () -> Date

    public init(settings: GatewaySettings, client: S3Client, publicEndpoint: S3Endpoint, now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.client = client
        self.publicEndpoint = publicEndpoint
        self.web = WebClient(connectTimeout: 5, requestTimeout: 15)
        self.now = now
    }

    /// The headers a browser sends on a presigned PUT, which CORS must allow.
    static let uploadHeaders = ["content-type", "if-none-match", "cache-control", "x-amz-checksum-sha256", "x-amz-acl"]

    /// Runs every check; later checks are skipped (and fail) when the store cannot be used at all.
    public func run() -> [Finding] {
        var findings: [Finding] = []
        let headers: HTTPHeaders
        do {
            headers = try client.headBucket()
            findings.append(Finding(check: "credentials accepted", passed: true, detail: "access key \(settings.storage.accessKeyId)", fix: nil))
            findings.append(Finding(check: "bucket exists", passed: true, detail: settings.storage.bucket, fix: nil))
        } catch let error as S3ClientError where error.status == 404 {
            findings.append(Finding(check: "credentials accepted", passed: true, detail: "access key \(settings.storage.accessKeyId)", fix: nil))
            findings.append(
                Finding(
                    check: "bucket exists", passed: false, detail: "\(settings.storage.bucket): \(error.status) \(error.code)",
                    fix: "Create the bucket \(settings.storage.bucket), or set storage.bucket to an existing one."))
            return findings
        } catch let error as S3ClientError {
            // HEAD answers carry no body; a listing names the S3 error code (SignatureDoesNotMatch, InvalidAccessKeyId, …).
            var code = error.code
            do { _ = try client.listObjects(maxKeys: 1) } catch let listed as S3ClientError { code = listed.code } catch {}
            findings.append(
                Finding(
                    check: "credentials accepted", passed: false, detail: "\(error.status) \(code)",
                    fix: "Check storage.accessKeyId / storage.secretAccessKey (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and storage.region."))
            return findings
        } catch {
            findings.append(
                Finding(check: "store reachable", passed: false, detail: "\(error)", fix: "Check storage.endpoint and that the store is running."))
            return findings
        }
        findings.append(clockSkew(headers))
        findings.append(cors())
        findings.append(postPolicy())
        findings.append(ifNoneMatch())
        findings.append(lifecycle())
        findings.append(publicAccess())
        if let acl = uploadACL() { findings.append(acl) }
        if let scanner = scannerFinding() { findings.append(scanner) }
        return findings
    }

    /// When `uploads.scan.clamd` is set: whether clamd answers PING.
    func scannerFinding() -> Finding? {
        guard let address = settings.uploads.scan.clamd else { return nil }
        guard let scanner = ClamdScanner(address) else {
            return Finding(check: "virus scanner", passed: false, detail: "'\(address)' is not an address", fix: "Use tcp://host:port or unix:/path.")
        }
        let limit = settings.uploads.scan.maxBytes
        do {
            try scanner.ping()
            guard try scanner.accepts(bytes: limit) else {
                return Finding(
                    check: "virus scanner", passed: false, detail: "clamd at \(address) refuses a stream of uploads.scan.maxBytes (\(limit) bytes)",
                    fix: "Raise StreamMaxLength in clamd.conf to at least \(limit), or lower uploads.scan.maxBytes to what clamd takes.")
            }
            return Finding(check: "virus scanner", passed: true, detail: "clamd at \(address) answers and takes files up to \(limit) bytes", fix: nil)
        } catch {
            return Finding(
                check: "virus scanner", passed: false, detail: "\(error)",
                fix: "Start clamd (Debian clamav-daemon) listening at \(address), or unset uploads.scan.clamd.")
        }
    }

    func clockSkew(_ headers: HTTPHeaders) -> Finding {
        guard let text = headers["date"], let date = HTTPDate.parse(text) else {
            return Finding(check: "clock skew", passed: false, detail: "the store sent no Date header", fix: "Check the store's clock by hand.")
        }
        let skew = now().timeIntervalSince(date)
        let passed = abs(skew) <= 300
        return Finding(
            check: "clock skew", passed: passed, detail: String(format: "%+.0f s against the store", skew),
            fix: passed ? nil : "Synchronize this machine's clock (NTP): signatures more than 15 minutes off are refused.")
    }

    func cors() -> Finding {
        let origin = settings.gateway.publicURL.hasSuffix("/") ? String(settings.gateway.publicURL.dropLast()) : settings.gateway.publicURL
        do {
            let rules = try client.bucketCors()
            let allowed = rules.contains { $0.allows(origin: origin) && $0.allows(method: "PUT") && $0.allows(headers: Self.uploadHeaders) }
            let exposesETag = rules.contains { rule in rule.allows(origin: origin) && rule.exposeHeaders.contains { $0.lowercased() == "etag" } }
            let passed = allowed && exposesETag
            return Finding(
                check: "CORS for \(origin)", passed: passed,
                detail: passed
                    ? "PUT with \(Self.uploadHeaders.joined(separator: ", ")) allowed, ETag exposed"
                    : (allowed ? "ETag is not exposed" : "PUT from this origin is not allowed"),
                fix: passed ? nil : "Run `dropgate doctor --fix` to add a CORS rule for \(origin) (PutBucketCors).")
        } catch {
            return Finding(
                check: "CORS for \(origin)", passed: false, detail: "\(error)",
                fix: "Configure the bucket's CORS by hand; the store refused GetBucketCors.")
        }
    }

    /// Adds a rule for the gateway's origin (keeping the others).
    public func fixCORS() throws {
        let origin = settings.gateway.publicURL.hasSuffix("/") ? String(settings.gateway.publicURL.dropLast()) : settings.gateway.publicURL
        var rules = (try? client.bucketCors()) ?? []
        rules.append(
            CORSRule(
                allowedOrigins: [origin], allowedMethods: ["GET", "PUT", "POST", "HEAD"], allowedHeaders: ["*"], exposeHeaders: ["ETag"],
                maxAgeSeconds: 3000))
        try client.putBucketCors(rules)
    }

    func postPolicy() -> Finding {
        let key = ".dropgate/doctor/post-\(Base64URL.random(bytes: 8))"
        defer { try? client.deleteObject(key: key) }
        do {
            let presigner = S3Presigner(endpoint: client.configuration.endpoint, credentials: client.configuration.credentials)
            let form = try presigner.signer.postForm(bucket: settings.storage.bucket, key: key, contentLength: 1...16, expires: 300)
            let boundary = "dropgate-doctor-\(Base64URL.random(bytes: 8))"
            var body = ""
            for field in form.fields { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field.name)\"\r\n\r\n\(field.value)\r\n" }
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"doctor.txt\"\r\nContent-Type: text/plain\r\n\r\ndoctor\r\n--\(boundary)--\r\n"
            let (host, path) = client.configuration.endpoint.location(bucket: settings.storage.bucket, key: "")
            let response = try web.request(
                method: "POST", url: "\(client.configuration.endpoint.scheme)://\(host)\(path)",
                headers: [.init("Content-Type", "multipart/form-data; boundary=\(boundary)")], body: Array(body.utf8))
            let passed = (200..<300).contains(response.status)
            return Finding(
                check: "POST-policy uploads", passed: passed, detail: "the store answered \(response.status)",
                fix: passed ? nil : "This store does not accept browser POST forms: do not use \"mode\":\"post\" uploads.")
        } catch {
            return Finding(check: "POST-policy uploads", passed: false, detail: "\(error)", fix: "Check that the store supports POST Object.")
        }
    }

    func ifNoneMatch() -> Finding {
        let key = ".dropgate/doctor/once-\(Base64URL.random(bytes: 8))"
        defer { try? client.deleteObject(key: key) }
        do {
            try client.putObject(key: key, body: Array("first".utf8), ifNoneMatch: true)
            do {
                try client.putObject(key: key, body: Array("second".utf8), ifNoneMatch: true)
                return Finding(
                    check: "If-None-Match: *", passed: false, detail: "a second PUT overwrote the object",
                    fix:
                        "This store ignores If-None-Match: download limits, revocations, quotas and the sweep all rest on it. Use a store that honours it."
                )
            } catch let error as S3ClientError where error.status == 412 {
                return Finding(check: "If-None-Match: *", passed: true, detail: "a second PUT is refused with 412", fix: nil)
            }
        } catch {
            return Finding(check: "If-None-Match: *", passed: false, detail: "\(error)", fix: "Check that the store supports conditional PUTs.")
        }
    }

}
