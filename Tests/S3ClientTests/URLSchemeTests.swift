import HTTPWire
import Testing

@testable import CurlHTTP

/// Every request Dropgate makes, the CLI's above all, goes to an http or https URL; a URL of any other scheme, as a
/// hostile server might hand over, is refused before libcurl sees it.
struct URLSchemeTests {
    @Test(arguments: [
        ("http://example.test/a", "http"), ("HTTPS://example.test", "https"), ("gopher://127.0.0.1:70/_x", "gopher"),
        ("dict://127.0.0.1:2628/d:x", "dict"), ("file:///etc/passwd", "file"), ("svn+ssh://host/x", "svn+ssh"),
    ])
    func aSchemeIsParsedAsRFC3986Says(url: String, scheme: String) {
        #expect(CurlHTTPClient.scheme(of: url) == scheme)
    }

    @Test(arguments: ["", "://x", "1http://x", "http", "/relative/path", "ht tp://x", "http%3A//x"])
    func aURLWithoutASchemeHasNone(url: String) {
        #expect(CurlHTTPClient.scheme(of: url) == nil)
    }

    @Test(arguments: ["gopher://127.0.0.1:1/_x", "file:///tmp/victim", "dict://127.0.0.1:1/", "ftp://127.0.0.1:1/x", "no-scheme"])
    func anythingButHTTPIsRefusedBeforeItIsSent(url: String) {
        let client = CurlHTTPClient(endpointDescription: "test", connectTimeout: 1, requestTimeout: 1, stallTimeout: 1)
        #expect(throws: UnsupportedURL.self) { try client.perform(HTTPCall(method: "GET", url: url, headers: []), progress: nil) }
    }
}
