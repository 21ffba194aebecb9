import CCurl
import Foundation
import HTTPWire

/// Plain HTTP over libcurl with pooled handles: the default transport of `S3Client` and of ``WebClient``.
public final class CurlHTTPClient: HTTPTransport {
    let handles = CurlHandlePool()
    let endpointDescription: String
    let connectTimeout: Double
    let requestTimeout: Double
    let stallTimeout: Double
    let reusesConnections: Bool

    /// - Parameters:
    ///   - endpointDescription: how network errors name the server.
    ///   - connectTimeout, requestTimeout, stallTimeout: seconds; file transfers have no total deadline, only the stall timeout.
    public init(endpointDescription: String, connectTimeout: Double, requestTimeout: Double, stallTimeout: Double, reusesConnections: Bool = true) {
        self.endpointDescription = endpointDescription
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.stallTimeout = stallTimeout
        self.reusesConnections = reusesConnections
    }

    public func perform(_ call: HTTPCall, progress: ((Int64, Int64) -> Void)?) throws -> HTTPCallResponse {
        guard let scheme = Self.scheme(of: call.url), scheme == "http" || scheme == "https" else {
            // A URL a server handed over (a plan, a redirect) is never trusted to name file:, gopher:, dict: or the like.
            throw UnsupportedURL(url: call.url)
        }
        let handle = try handles.acquire()
        var reusable = reusesConnections
        defer { handles.release(handle, reusable: reusable) }
        var list: UnsafeMutablePointer<curl_slist>?
        for field in call.headers { list = curl_slist_append(list, "\(field.name): \(field.value)") }
        if case .bytes(let bytes) = call.body, bytes.count < 1 << 20 { list = curl_slist_append(list, "Expect:") }
        defer { curl_slist_free_all(list) }
        var pinned: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(pinned) }
        if let address = call.pinnedAddress {
            pinned = curl_slist_append(nil, address)
            dg_setopt_list(handle, CURLOPT_RESOLVE, pinned)
            dg_setopt_string(handle, CURLOPT_PROXY, "")
            reusable = false  // the pin stays in the handle's name cache: the handle is not pooled again
        }
        dg_setopt_string(handle, CURLOPT_URL, call.url)
        dg_setopt_list(handle, CURLOPT_HTTPHEADER, list)
        dg_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        dg_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        dg_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        if !reusesConnections { dg_setopt_long(handle, CURLOPT_FORBID_REUSE, 1) }
        dg_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
        dg_setopt_off(handle, CURLOPT_MAX_SEND_SPEED_LARGE, curl_off_t(call.maxSendRate ?? 0))
        if call.isLongTransfer {
            dg_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
            dg_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(stallTimeout)))
        } else {
            dg_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(requestTimeout * 1000))
        }
        if call.method == "HEAD" {
            dg_setopt_long(handle, CURLOPT_NOBODY, 1)
        } else if call.method != "GET" {
            dg_setopt_string(handle, CURLOPT_CUSTOMREQUEST, call.method)
        }
        let transfer = CurlTransfer(requestBody: call.body, sink: call.sink, progress: progress)
        do {
            return try transfer.perform(handle, endpoint: endpointDescription)
        } catch {
            reusable = false
            throw error
        }
    }
}

extension CurlHTTPClient {
    /// The URL's scheme, lowercased, parsed as RFC 3986 says (letters, digits, `+`, `-`, `.` before the first `:`).
    static func scheme(of url: String) -> String? {
        var scheme: [UInt8] = []
        for byte in url.utf8 {
            if byte == 0x3A { return scheme.isEmpty ? nil : String(decoding: scheme, as: UTF8.self) }
            let lower = byte | 0x20
            let isLetter = (0x61...0x7A).contains(lower)
            guard isLetter || (!scheme.isEmpty && ((0x30...0x39).contains(byte) || byte == 0x2B || byte == 0x2D || byte == 0x2E)) else {
                return nil
            }
            scheme.append(isLetter ? lower : byte)
        }
        return nil
    }
}

/// A URL that is not `http:` or `https:`, refused before anything is sent or written.
public struct UnsupportedURL: Error, Sendable, Hashable, CustomStringConvertible {
    public var url: String

    public var description: String {
        let shown = url.utf8.count > 80 ? String(url.prefix(80)) + "…" : url
        return
            "Refusing a URL that is not http or https: \(shown.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined())"
    }
}
