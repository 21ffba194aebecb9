import Crypto
import CurlHTTP
import Foundation
import Glibc
import S3Client
import S3Common
import S3Peers
import Testing

/// Every client operation against the embedded store and Ceph RGW.
struct S3ClientTests {
    /// `make test` exports S3PEER_ENDPOINT; this keeps CI from silently testing one peer only. Outside `make test`
    /// it is reported as skipped rather than passing without asserting anything.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DROPGATE_REQUIRE_RGW"] == "1", "only under make test, which starts RGW"))
    func rgwTakesPartUnderMakeTest() {
        #expect(S3Peer.available.contains(.rgw))
    }

    @Test(arguments: S3Peer.available)
    func copyObjectKeepsBytesAndMetadata(peer: S3Peer) throws {
        let client = try peer.client()
        let source = S3Peer.uniqueKey("source ü.txt")
        let target = S3Peer.uniqueKey("target.txt")
        let etag = try client.putObject(key: source, body: Array("copy me".utf8), contentType: "text/plain", metadata: ["owner": "ada"])
        #expect(try client.copyObject(from: source, to: target) == etag)
        let info = try #require(try client.headObject(key: target))
        #expect(info.contentType == "text/plain" && info.metadata["owner"] == "ada" && info.size == 7)
        #expect(try client.getObject(key: target).0 == Array("copy me".utf8))
        let missing = #expect(throws: S3ClientError.self) { try client.copyObject(from: source + ".none", to: target) }
        #expect(missing?.status == 404 && missing?.s3Code == .noSuchKey)
    }

    /// The one conditional write of the gateway's bucket state: the first writer of a key wins, on every peer.
    @Test(arguments: S3Peer.available)
    func createWritesAKeyOnce(peer: S3Peer) throws {
        let client = try peer.client()
        let key = S3Peer.uniqueKey("state.json")
        #expect(try client.create(key: key, body: Array(#"{"n":1}"#.utf8)))
        #expect(try !client.create(key: key, body: Array(#"{"n":2}"#.utf8)))
        #expect(try client.getObject(key: key).0 == Array(#"{"n":1}"#.utf8))
    }

    @Test(arguments: S3Peer.available)
    func objectsRoundTrip(peer: S3Peer) throws {
        let client = try peer.client()
        let key = S3Peer.uniqueKey("a b+c.txt")
        let etag = try client.putObject(key: key, body: Array("hello client".utf8), contentType: "text/plain", metadata: ["owner": "ada"])
        #expect(etag == Insecure.MD5.hash(data: Array("hello client".utf8)).map { String(format: "%02x", $0) }.joined())
        let info = try #require(try client.headObject(key: key))
        #expect(info.size == 12)
        #expect(info.contentType == "text/plain")
        #expect(info.metadata["owner"] == "ada")
        let (bytes, _) = try client.getObject(key: key)
        #expect(bytes == Array("hello client".utf8))
        try client.deleteObject(key: key)
        #expect(try client.headObject(key: key) == nil)
        try client.headBucket()
    }

    @Test(arguments: S3Peer.available)
    func listingPagesThroughPrefixes(peer: S3Peer) throws {
        let client = try peer.client()
        let prefix = S3Peer.uniqueKey("list") + "/"
        for name in ["a/1", "a/2", "b", "c"] { try client.putObject(key: prefix + name, body: [1]) }
        let top = try client.listObjects(prefix: prefix, delimiter: "/")
        #expect(top.objects.map(\.key) == [prefix + "b", prefix + "c"])
        #expect(top.commonPrefixes == [prefix + "a/"])
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try client.listObjects(prefix: prefix, maxKeys: 3, continuationToken: token)
            keys += page.objects.map(\.key)
            token = page.nextContinuationToken
        } while token != nil
        #expect(keys == ["a/1", "a/2", "b", "c"].map { prefix + $0 })
    }

    /// A key that XML 1.0 cannot carry, put there by anyone who may write to the bucket, leaves its listing readable.
    @Test(arguments: S3Peer.available)
    func keysOfEveryKindAreListedExactly(peer: S3Peer) throws {
        let client = try peer.client()
        let prefix = S3Peer.uniqueKey("odd") + "/"
        let names = ["x\u{1}y", "tab\there", "line\nfeed", "a b", "a+b", "100%", "ü/日", "&<>\"'"]
        for name in names { try client.putObject(key: prefix + name, body: [1]) }
        let listed = try client.listObjects(prefix: prefix)
        #expect(Set(listed.objects.map(\.key)) == Set(names.map { prefix + $0 }))
        #expect(try client.listObjects(prefix: prefix, delimiter: "/").commonPrefixes == [prefix + "ü/"])
        // Uploads in progress are listed the same way (the sweeper pages through them). Creating one is answered
        // with its key as S3 writes it, `&#x1;`, which no XML 1.0 reader takes; the upload exists all the same.
        // RGW 16 ignores encoding-type on this listing, so such an upload would spoil its listing for the other tests.
        guard peer != .rgw else { return }
        let pending = prefix + "pending\u{1}part"
        _ = try? client.createMultipartUpload(key: pending)
        let inProgress = try client.listMultipartUploads(prefix: prefix).uploads
        #expect(inProgress.map(\.key) == [pending])
        for upload in inProgress { try client.abortMultipartUpload(key: upload.key, uploadID: upload.uploadID) }
    }

    @Test(arguments: S3Peer.available)
    func multipartUploadCompletes(peer: S3Peer) throws {
        let client = try peer.client()
        let key = S3Peer.uniqueKey("multi.bin")
        let first = [UInt8](repeating: 7, count: 5 * 1024 * 1024)
        let second = [UInt8](repeating: 9, count: 1000)
        let id = try client.createMultipartUpload(key: key, contentType: "application/x-test")
        var parts: [UploadedPart] = []
        for (number, bytes) in [(1, first), (2, second)] {
            let path = NSTemporaryDirectory() + "part-\(UUID().uuidString)"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            defer { unlink(path) }
            let fd = open(path, O_RDONLY)
            defer { close(fd) }
            parts.append(
                UploadedPart(
                    partNumber: number, etag: try client.uploadPart(key: key, uploadID: id, partNumber: number, file: fd, length: Int64(bytes.count)))
            )
        }
        #expect(try client.listParts(key: key, uploadID: id).map(\.partNumber) == [1, 2])
        try client.completeMultipartUpload(key: key, uploadID: id, parts: parts)
        let info = try #require(try client.headObject(key: key))
        #expect(info.size == Int64(first.count + second.count))
        #expect(info.etag.hasSuffix("-2"))
        let aborted = try client.createMultipartUpload(key: key + ".2")
        try client.abortMultipartUpload(key: key + ".2", uploadID: aborted)
        let error = #expect(throws: S3ClientError.self) { try client.listParts(key: key + ".2", uploadID: aborted) }
        // S3 and the embedded store say NoSuchUpload; Ceph RGW 16 says NoSuchKey.
        #expect(error?.code == (peer == .rgw ? "NoSuchKey" : "NoSuchUpload"))
        #expect(error?.status == 404)
    }

    @Test(arguments: S3Peer.available)
    func filesStreamBothWaysWithProgress(peer: S3Peer) throws {
        let client = try peer.client()
        let key = S3Peer.uniqueKey("file.bin")
        let source = NSTemporaryDirectory() + "upload-\(UUID().uuidString)"
        let target = source + ".copy"
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        _ = FileManager.default.createFile(atPath: source, contents: Data(bytes))
        defer {
            unlink(source)
            unlink(target)
        }
        let sent = ProgressLog()
        try client.putObject(key: key, fromFile: source, progress: { done, total in sent.record(done, total) })
        let received = ProgressLog()
        let info = try client.getObject(key: key, toFile: target, progress: { done, total in received.record(done, total) })
        #expect(info.size == 3_000_000)
        #expect(FileManager.default.contents(atPath: target) == Data(bytes))
        #expect(sent.last == 3_000_000)
        #expect(received.last == 3_000_000)
    }

    @Test(arguments: S3Peer.available)
    func corsRulesRoundTrip(peer: S3Peer) throws {
        let client = try peer.client()
        let rule = CORSRule(
            allowedOrigins: ["http://localhost:5001"], allowedMethods: ["PUT", "GET"], allowedHeaders: ["*"], exposeHeaders: ["ETag"],
            maxAgeSeconds: 600)
        try client.putBucketCors([rule])
        let rules = try client.bucketCors()
        #expect(rules.first?.allowedOrigins == ["http://localhost:5001"])
        #expect(Set(rules.first?.allowedMethods ?? []) == ["PUT", "GET"])
        #expect(rules.first?.exposeHeaders == ["ETag"])
    }

    @Test(arguments: S3Peer.available)
    func wrongSecretIsATypedSignatureError(peer: S3Peer) throws {
        let client = try peer.client(secret: "not-the-secret")
        let error = #expect(throws: S3ClientError.self) { try client.putObject(key: S3Peer.uniqueKey("x"), body: [1]) }
        #expect(error?.status == 403)
        #expect(error?.s3Code == .signatureDoesNotMatch)
    }

    @Test func unreachableEndpointFailsWithinTheConnectTimeout() throws {
        let port = try ClosedPort()
        let client = try S3Peer.embedded.client {
            $0.endpoint = S3Endpoint(scheme: "http", host: "127.0.0.1:\(port.number)", region: "us-east-1", addressing: .path)
            $0.connectTimeout = 1
        }
        let start = Date()
        let error = #expect(throws: NetworkError.self) { try client.headObject(key: "x") }
        #expect(error?.endpoint == "http://127.0.0.1:\(port.number)")
        #expect(Date().timeIntervalSince(start) < 3)
    }

    @Test func silentServerFailsWithinTheRequestTimeout() throws {
        let silent = try SilentServer()
        let client = try S3Peer.embedded.client {
            $0.endpoint = S3Endpoint(scheme: "http", host: "127.0.0.1:\(silent.port)", region: "us-east-1", addressing: .path)
            $0.requestTimeout = 1
        }
        let start = Date()
        let error = #expect(throws: NetworkError.self) { try client.headObject(key: "x") }
        #expect(error?.curlCode == 28)
        #expect(Date().timeIntervalSince(start) < 3)
    }
}

/// Collects progress callbacks.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int64] = []
    func record(_ done: Int64, _ total: Int64) { lock.withLock { values.append(done) } }
    var last: Int64? { lock.withLock { values.last } }
}
