import CCurl
import Foundation
import HTTPWire

/// Sends mail over SMTP with libcurl (no other dependency): STARTTLS, implicit TLS (`smtps`) or, for a relay on this
/// machine, none; with a user and password when the server asks. Each message is one connection, bounded in time.
public final class MailSender: Sendable {
    /// How the connection is protected.
    public enum Security: String, Sendable, CaseIterable {
        /// Plain SMTP upgraded with STARTTLS, which must succeed (port 587).
        case starttls
        /// TLS from the first byte (`smtps`, port 465).
        case tls
        /// No TLS: only for a relay on this machine or a private network.
        case none
    }

    let host: String
    let port: Int
    let security: Security
    let user: String?
    let password: String?
    let timeout: Double

    public init(host: String, port: Int, security: Security, user: String?, password: String?, timeout: Double = 30) {
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.password = password
        self.timeout = timeout
    }

    /// Sends one message (its bytes, CRLF line ends, headers first) from `from` to `recipients`; the server's last
    /// reply code (250), or a ``NetworkError`` naming why it was refused.
    @discardableResult
    public func send(_ message: [UInt8], from: String, to recipients: [String]) throws -> Int {
        _ = CurlHandlePool.globalInit
        guard let handle = curl_easy_init() else { throw NetworkError(endpoint: host, reason: "curl_easy_init failed", curlCode: -1) }
        defer { curl_easy_cleanup(handle) }
        var list: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { list = curl_slist_append(list, "<\(recipient)>") }
        defer { curl_slist_free_all(list) }
        let scheme = security == .tls ? "smtps" : "smtp"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        dg_setopt_string(handle, CURLOPT_URL, "\(scheme)://\(shownHost):\(port)")
        dg_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        dg_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        dg_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(timeout, 10) * 1000))
        dg_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
        if security == .starttls { dg_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let user { dg_setopt_string(handle, CURLOPT_USERNAME, user) }
        if let password { dg_setopt_string(handle, CURLOPT_PASSWORD, password) }
        dg_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(from)>")
        dg_setopt_list(handle, CURLOPT_MAIL_RCPT, list)
        let transfer = CurlTransfer(requestBody: .bytes(message), sink: .memory(limit: 64 * 1024), progress: nil)
        return try transfer.perform(handle, endpoint: "\(scheme)://\(shownHost):\(port)").status
    }
}
