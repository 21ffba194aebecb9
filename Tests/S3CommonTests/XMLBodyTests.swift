import Foundation
import S3Common
import Synchronization
import Testing

/// The S3 XML bodies: each written and read back through one type, escaping, namespaces, bad input, threads.
struct XMLBodyTests {
    static func roundTrip<Body: XMLBody & Equatable>(_ body: Body) throws -> Body {
        try Body(bytes: Array(body.document().utf8))
    }

    @Test func everyBodyRoundTrips() throws {
        let rule = CORSRule(
            allowedOrigins: ["http://a"], allowedMethods: ["PUT", "GET"], allowedHeaders: ["*"], exposeHeaders: ["ETag"], maxAgeSeconds: 60)
        #expect(try Self.roundTrip(CORSConfiguration(rules: [rule])) == CORSConfiguration(rules: [rule]))
        #expect(try Self.roundTrip(InitiateMultipartUploadResult(bucket: "b", key: "a & b.txt", uploadID: "u1")).key == "a & b.txt")
        let complete = CompleteMultipartUpload(parts: [.init(number: 1, etag: "abc"), .init(number: 2, etag: "def")])
        #expect(try Self.roundTrip(complete) == complete)
        let result = CompleteMultipartUploadResult(location: "/b/k", bucket: "b", key: "k", etag: "abc-2")
        #expect(try Self.roundTrip(result) == result)
        var parts = ListPartsResult(
            bucket: "b", key: "k", uploadID: "u", parts: [.init(number: 1, lastModified: "2026-12-01T00:00:00.000Z", etag: "e", size: 5)])
        parts.isTruncated = true
        parts.maxParts = 1
        #expect(try Self.roundTrip(parts) == parts)
        let uploads = ListMultipartUploadsResult(bucket: "b", uploads: [.init(key: "k", uploadID: "u", initiated: "t")])
        #expect(try Self.roundTrip(uploads) == uploads)
        var list = ListBucketResult(
            name: "b", prefix: "p/", maxKeys: 2, isTruncated: true, contents: [.init(key: "p/<x>", lastModified: "t", etag: "e", size: 1)],
            commonPrefixes: ["p/q/"])
        list.keyCount = 2
        list.nextContinuationToken = "tok"
        list.delimiter = "/"
        #expect(try Self.roundTrip(list) == list)
        let buckets = ListAllMyBucketsResult(owner: "o", buckets: [.init(name: "b", creationDate: "t")])
        #expect(try Self.roundTrip(buckets) == buckets)
        let delete = DeleteRequest(keys: ["a", "b'c"], quiet: true)
        #expect(try Self.roundTrip(delete) == delete)
        let deleted = DeleteResult(deleted: ["a"], errors: [.init(key: "b", code: "AccessDenied", message: "no")])
        #expect(try Self.roundTrip(deleted) == deleted)
        let lifecycle = LifecycleConfiguration(rules: [.init(id: "abort", prefix: "uploads/", abortIncompleteMultipartUploadDays: 1)])
        #expect(try Self.roundTrip(lifecycle) == lifecycle)
        let error = S3ErrorDocument(code: "NoSuchKey", message: "gone", details: [("Key", "a&b")])
        #expect(try S3ErrorDocument(bytes: Array(error.document(namespaced: false).utf8)) == error)
    }

    @Test func textIsEscapedAndNamespacesAreDropped() throws {
        let tree = XMLTree("Root", children: [.leaf("Key", #"<a href="x">&'"#)])
        let document = tree.document(namespace: S3Namespace.uri)
        #expect(document.contains("&lt;a href=&quot;x&quot;&gt;&amp;&apos;"))
        #expect(document.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><Root xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#))
        #expect(XMLTree.parse(Array(document.utf8)) == tree)
        let prefixed = #"<s3:Root xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:Key>v</s3:Key></s3:Root>"#
        #expect(XMLTree.parse(Array(prefixed.utf8)) == XMLTree("Root", children: [.leaf("Key", "v")]))
    }

    @Test func grantsAreWrittenWithTheirXSITypeAndReadBack() throws {
        let everyone = "http://acs.amazonaws.com/groups/global/AllUsers"
        let policy = AccessControlPolicy(
            ownerID: "o", grants: [.init(id: "o", permission: "FULL_CONTROL"), .init(uri: everyone, permission: "READ")])
        let document = policy.document()
        #expect(document.contains(#"<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>o</ID>"#))
        #expect(document.contains(#"xsi:type="Group"><URI>\#(everyone)</URI>"#))
        #expect(try AccessControlPolicy(bytes: Array(document.utf8)) == policy)
    }

    @Test func controlCharactersAreCharacterReferencesAParserReadsBackExactly() {
        let tree = XMLTree("Root", children: [.leaf("Key", "a\tb\nc\rd\u{1}e\u{1F}f")])
        let document = tree.document()
        #expect(document.hasSuffix("<Root><Key>a&#9;b&#10;c&#13;d&#x1;e&#x1F;f</Key></Root>"))
        let readable = XMLTree("Root", children: [.leaf("Key", "a\tb\nc\rd")])
        #expect(XMLTree.parse(Array(readable.document().utf8)) == readable)
    }

    @Test(arguments: ["", "   ", "<", "<a><b></a>", "<a>", "not xml", "<a></a><b></b>"])
    func malformedDocumentsAreNil(_ text: String) {
        #expect(XMLTree.parse(Array(text.utf8)) == nil)
    }

    @Test func theWrongDocumentNamesBoth() {
        #expect {
            _ = try CORSConfiguration(bytes: Array("<Error><Code>x</Code></Error>".utf8))
        } throws: { error in
            (error as? XMLBodyError)?.message == "Expected <CORSConfiguration>, found <Error>."
        }
    }

    @Test func manyThreadsParseAtOnce() throws {
        let entries = (0..<500).map { ListBucketResult.Object(key: "k\($0) & more", lastModified: "t", etag: "e\($0)", size: Int64($0)) }
        let list = ListBucketResult(name: "b", prefix: "", maxKeys: 1000, isTruncated: false, contents: entries)
        let bytes = Array(list.document().utf8)
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<25 where (try? ListBucketResult(bytes: bytes)) != list { failures.add(1, ordering: .relaxed) }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }
}
