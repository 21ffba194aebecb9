import HTTPServer

extension PageService {
    /// The origin of the store's public endpoint (`http://localhost:5002`), which pages load previews from and PUT to.
    var storeOrigin: String {
        let endpoint = presigner.endpoint
        return "\(endpoint.scheme)://\(endpoint.host)"
    }

    /// The policy of every HTML page: scripts and styles only from the gateway (no inline script, so an injected
    /// `onerror=` does nothing), previews and uploads only to the store, never framed, no referrer.
    var contentSecurityPolicy: String {
        let store = storeOrigin
        let storeAll = presigner.endpoint.addressing == .path ? store : "\(store) \(presigner.endpoint.scheme)://*.\(presigner.endpoint.host)"
        // blob: is where an encrypted share's page shows what it decrypted (its own objects, of types it allows).
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: \(storeAll); media-src 'self' blob: \(storeAll); "
            + "frame-src 'self' blob: \(storeAll); connect-src 'self' \(storeAll); object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'" + (cspReportURL.map { "; report-uri \($0)" } ?? "")
    }

    /// Adds the page headers to an HTML answer: CSP, no framing, no sniffing, no referrer; and every page but the
    /// upload page at `/` stays out of search engines (`noindex`), share pages above all.
    func addPageSecurityHeaders(to response: inout HTTPResponse, path: String) {
        guard response.headers["content-type"]?.hasPrefix("text/html") == true else { return }
        if path != "/" { response.headers.set("X-Robots-Tag", "noindex, nofollow") }
        // A page that set a stricter policy of its own (the command line's sign-in form) keeps it.
        if !response.headers.contains("content-security-policy") { response.headers.set("Content-Security-Policy", contentSecurityPolicy) }
        response.headers.set("X-Frame-Options", "DENY")
        response.headers.set("Referrer-Policy", "no-referrer")
    }
}
