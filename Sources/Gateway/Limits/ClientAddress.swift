import HTTPServer
import HTTPWire

/// Who a request comes from, for per-client limits: the peer's IP address, or, when the peer is a trusted reverse
/// proxy, the rightmost address in `X-Forwarded-For` that is not itself a trusted proxy. IPv6 clients are grouped
/// by their /64, since one host is usually given a whole /64.
struct ClientAddress: Hashable, Sendable, CustomStringConvertible {
    /// The canonical text of the address (`203.0.113.9`, `2001:db8:1:2::/64`).
    let text: String

    var description: String { text }

    /// The client of a request from `peer` (`address:port` as the server reports it) carrying `forwardedFor`.
    ///
    /// - Parameter trusted: canonical addresses of the reverse proxies whose `X-Forwarded-For` is believed.
    init(peer: String, forwardedFor: [String], trusted: Set<String>) {
        var client = Self.parse(HTTPServer.host(ofPeer: peer)) ?? Self(text: "unknown")
        guard trusted.contains(client.exact), !forwardedFor.isEmpty else {
            self = client.grouped
            return
        }
        // Walk the hops from the right: each was appended by the proxy to its right, so the first untrusted one is the
        // client; anything a client wrote itself lies further left and is never read.
        let hops = forwardedFor.flatMap { Self.listMembers($0) }
        for hop in hops.reversed() {
            guard let address = Self.parse(hop) else { break }  // a trusted proxy wrote garbage: keep the last good hop
            client = address
            if !trusted.contains(address.exact) { break }
        }
        self = client.grouped
    }

    private init(text: String, exact: String? = nil) {
        self.text = text
        self.exactText = exact ?? text
    }

    private let exactText: String
    /// The full address, as compared with `gateway.trustedProxies`.
    var exact: String { exactText }

    /// The address for limits: itself for IPv4, its /64 for IPv6.
    private var grouped: ClientAddress {
        guard exactText.utf8.contains(0x3A), var bytes = IPAddressText.ipv6Bytes(exactText) else { return ClientAddress(text: exactText) }
        for index in 8..<16 { bytes[index] = 0 }
        return ClientAddress(text: (IPAddressText.ipv6Text(bytes) ?? exactText) + "/64", exact: exactText)
    }

    /// The canonical form of an IP literal (`::ffff:1.2.3.4` becomes `1.2.3.4`), or nil when `text` is none.
    static func parse<S: StringProtocol>(_ text: S) -> ClientAddress? {
        let trimmed = String(text)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 64 else { return nil }
        if let v4 = IPAddressText.ipv4Bytes(trimmed) { return ClientAddress(text: v4.map(String.init).joined(separator: ".")) }
        guard let bytes = IPAddressText.ipv6Bytes(trimmed) else { return nil }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return ClientAddress(text: "\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])")
        }
        return IPAddressText.ipv6Text(bytes).map { ClientAddress(text: $0) }
    }

    /// The canonical forms of configured proxy addresses; those that are not IP literals are left out.
    static func canonical(_ addresses: [String]) -> Set<String> { Set(addresses.compactMap { parse($0)?.exactText }) }

    /// The members of one `X-Forwarded-For` field value: comma-separated, optional whitespace trimmed, empty ones skipped.
    static func listMembers(_ value: String) -> [Substring] {
        var members: [Substring] = []
        var start = value.startIndex
        var index = value.startIndex
        func take(_ end: String.Index) {
            let member = ASCIIText.trimmed(value[start..<end])
            if !member.isEmpty { members.append(Substring(member)) }
        }
        while index < value.endIndex {
            if value[index] == "," {
                take(index)
                start = value.index(after: index)
            }
            index = value.index(after: index)
        }
        take(value.endIndex)
        return members
    }
}
