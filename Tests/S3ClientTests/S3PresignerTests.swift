import CurlHTTP
import Foundation
import S3Client
import S3Peers
import SigV4
import Testing

/// Presigned URLs for keys that need encoding: the presigner's fast path (it marks the paths it encodes as canonical,
/// so signing copies them) against the checked path, and against real stores that verify SigV4.
struct S3PresignerTests {
    static let keys = [
        "plain.txt", "holiday photo.jpg", "a+b=c&d.txt", "100% sure.txt", "tilde~dash-under_dot.txt", "nested/folder/file.bin",
        "double//slash", "./dot/../segments", "quote'and\"double.txt", "ünïcödé/日本語.txt", "emoji 🎉.png", "semi;colon,comma",
        "percent%2Falready", "",
    ]

    static let endpoints: [S3Endpoint] = [
        .aws(region: "us-east-1"),
        try! S3Endpoint(url: "http://127.0.0.1:9000", region: "eu-west-1", addressing: .path),
        try! S3Endpoint(url: "https://s3.example.net", region: "auto", addressing: .virtualHosted),
    ]

    /// A PUT signs its headers and `host`; a GET signs `host` alone, which the signer keeps as it is instead of
    /// building canonical headers. Either way, the same URL as signing `host` among the request's headers.
    @Test(arguments: keys, ["PUT", "GET"])
    func theFastPathSignsWhatTheCheckedPathSigns(key: String, method: String) throws {
        let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let date = AmzDate(secondsSince1970: 1_796_083_200)
        let headers: HTTPHeaders = method == "PUT" ? [.init("Content-Type", "image/png"), .init("If-None-Match", "*")] : []
        for endpoint in Self.endpoints {
            let presigner = S3Presigner(endpoint: endpoint, credentials: credentials)
            let fast = try presigner.url(method: method, bucket: "uploads", key: key, expires: 900, headers: headers, date: date)

            let (host, path) = endpoint.location(bucket: "uploads", key: key)
            var signed = headers
            signed.append(.init("host", host))
            let checked = try presigner.signer.presignedURL(
                SignableRequest(method: method, path: path, headers: signed, pathIsCanonical: false), scheme: endpoint.scheme, expires: 900,
                date: date)
            #expect(fast == checked, "\(endpoint.url) \(method) \(key)")
        }
    }

    /// A presigner told its bucket at init works out that bucket's host once; its URLs, for that bucket and any
    /// other, and after its endpoint changes, are the URLs of one that was not told.
    @Test func aPresignerToldItsBucketSignsWhatAnyPresignerSigns() throws {
        let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret")
        let date = AmzDate(secondsSince1970: 1_796_083_200)
        for endpoint in Self.endpoints {
            var told = S3Presigner(endpoint: endpoint, credentials: credentials, bucket: "uploads")
            var plain = S3Presigner(endpoint: endpoint, credentials: credentials)
            for bucket in ["uploads", "other-bucket", "Not.Virtual"] {
                let url = try told.url(method: "GET", bucket: bucket, key: "a b.txt", expires: 60, date: date)
                #expect(url == (try plain.url(method: "GET", bucket: bucket, key: "a b.txt", expires: 60, date: date)), "\(endpoint.url) \(bucket)")
            }
            let moved = try S3Endpoint(url: "https://s3.example.org", region: "auto", addressing: .virtualHosted)
            told.endpoint = moved
            plain.endpoint = moved
            let url = try told.url(method: "GET", bucket: "uploads", key: "k", expires: 60, date: date)
            #expect(url == (try plain.url(method: "GET", bucket: "uploads", key: "k", expires: 60, date: date)))
            #expect(url.hasPrefix("https://uploads.s3.example.org/k?"))
        }
    }

    /// The URL is written straight into its string, from a length worked out first: it must be exactly the query
    /// ``Signer/presign(_:expires:payload:date:signsSessionToken:)`` builds, behind scheme, host and path, with and
    /// without a session token and parameters of the request's own.
    @Test(arguments: keys)
    func theURLWrittenInPlaceIsTheQueryPresignBuilds(key: String) throws {
        let date = AmzDate(secondsSince1970: 1_796_083_200)
        let tokens: [String?] = [nil, "FwoGZXIvYXdzE+token/with=padding=="]
        let queries: [[SignableRequest.QueryItem]] = [[], [.init("partNumber", "3"), .init("uploadId", "a%2Fb")]]
        for endpoint in Self.endpoints {
            for token in tokens {
                for query in queries {
                    let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: token)
                    let presigner = S3Presigner(endpoint: endpoint, credentials: credentials)
                    let headers: HTTPHeaders = [.init("Content-Type", "image/png")]
                    let url = try presigner.url(method: "PUT", bucket: "uploads", key: key, expires: 900, query: query, headers: headers, date: date)
                    let (host, path) = endpoint.location(bucket: "uploads", key: key)
                    var signed = headers
                    signed.append(.init("host", host))
                    let presigned = try presigner.signer.presign(
                        SignableRequest(method: "PUT", path: path, query: query, headers: signed), expires: 900, date: date)
                    #expect(url == "\(endpoint.scheme)://\(host)\(path)?\(presigned.query)", "\(endpoint.url) \(key) \(token ?? "-")")
                }
            }
        }
    }

    @Test func aPathMarkedCanonicalIsStillCheckedWhenTheServiceEncodesTwice() throws {
        let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret")
        let signer = Signer(credentials: credentials, region: "us-east-1", service: "service", options: .generic)
        let date = AmzDate(secondsSince1970: 1_440_938_160)
        let request = { (marked: Bool) in
            SignableRequest(method: "GET", path: "/a%20b/../c", headers: [.init("host", "example.amazonaws.com")], pathIsCanonical: marked)
        }
        let marked = try signer.explainPresign(request(true), expires: 60, date: date)
        let unmarked = try signer.explainPresign(request(false), expires: 60, date: date)
        #expect(marked.canonicalRequest == unmarked.canonicalRequest)
        #expect(marked.canonicalRequest.contains("\n/c\n"))
    }

    @Test(arguments: S3Peer.available)
    func presignedPutsAndGetsOfEncodedKeysAreAccepted(peer: S3Peer) throws {
        let configuration = try peer.client().configuration
        let presigner = S3Presigner(endpoint: configuration.endpoint, credentials: configuration.credentials)
        let web = WebClient(connectTimeout: 5, requestTimeout: 20)
        for name in Self.keys where !name.isEmpty && !name.contains("..") && !name.contains("//") {
            let key = S3Peer.uniqueKey(name)
            let body = Array("bytes of \(name)".utf8)
            let headers: HTTPHeaders = [.init("Content-Type", "text/plain")]
            let put = try presigner.url(method: "PUT", bucket: configuration.bucket, key: key, expires: 300, headers: headers)
            let stored = try web.request(method: "PUT", url: put, headers: headers, body: body)
            #expect(stored.status == 200, "\(peer) PUT \(name): \(String(decoding: stored.body, as: UTF8.self))")
            let get = try presigner.url(method: "GET", bucket: configuration.bucket, key: key, expires: 300)
            let fetched = try web.request(method: "GET", url: get)
            #expect(fetched.status == 200 && fetched.body == body, "\(peer) GET \(name)")
        }
    }
}
