import DropgateAPI
import Foundation
import Glibc
import HTTPWire

/// Where a webhook may go, checked on every attempt after its name is resolved: `https` (plain `http` only where the
/// settings allow it), no user info, and every address the name resolves to public (no loopback, private, shared,
/// link-local, metadata, multicast or reserved address) unless the allowlist names the host or the address. The
/// connection is then pinned to the checked address, so a second lookup cannot send it elsewhere.
struct WebhookTarget: Sendable, Equatable {
    /// libcurl's `CURLOPT_RESOLVE` entry: `host:port:address`.
    var pin: String

    struct Refusal: Error, CustomStringConvertible {
        /// Why, for people.
        var wording: Wording
        init(description wording: Wording) { self.wording = wording }
        var description: String { wording.english }
    }

    /// Checks the URL's shape only (no lookup): what registration refuses at once.
    static func parse(_ url: String, allowHTTP: Bool) throws -> (host: String, port: Int) {
        guard url.utf8.count <= 2_000, let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            let host = parts.host?.lowercased(), !host.isEmpty
        else { throw Refusal(description: "A webhook's url must be an absolute https:// URL.") }
        guard scheme == "https" || (scheme == "http" && allowHTTP) else {
            throw Refusal(
                description: allowHTTP ? "A webhook's url must be http(s)." : "A webhook's url must be https:// (webhooks.allowHTTP is off).")
        }
        guard parts.user == nil, parts.password == nil, parts.fragment == nil else {
            throw Refusal(description: "A webhook's url carries no user, password or #fragment.")
        }
        return (host, parts.port ?? (scheme == "https" ? 443 : 80))
    }

    /// Resolves and checks the URL; where it may connect, or a refusal in plain words.
    static func check(_ url: String, allowHTTP: Bool, allowed: [String]) throws -> WebhookTarget {
        let (rawHost, port) = try parse(url, allowHTTP: allowHTTP)
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let allowlist = Set(allowed.map { $0.lowercased() })
        let addresses = try resolve(host)
        guard let first = addresses.first else { throw Refusal(description: "\(host, as: "host") does not resolve.") }
        if !allowlist.contains(host) {
            for address in addresses where !allowlist.contains(address.text) {
                if let why = Self.forbidden(address.bytes) {
                    throw Refusal(
                        description:
                            "\(host, as: "host") resolves to \(address.text, as: "address"), \(why, as: "why"): refused (webhooks.allowedTargets can name it)."
                    )
                }
            }
        }
        let shown = first.bytes.count == 16 ? "[\(first.text)]" : first.text
        return WebhookTarget(pin: "\(host.contains(":") ? "[\(host)]" : host):\(port):\(shown)")
    }

    struct Address {
        var bytes: [UInt8]
        var text: String
    }

    /// Every address `host` resolves to (a literal resolves to itself).
    static func resolve(_ host: String) throws -> [Address] {
        if let v4 = IPAddressText.ipv4Bytes(host) { return [Address(bytes: v4, text: host)] }
        if let v6 = IPAddressText.ipv6Bytes(host) { return [Address(bytes: v6, text: IPAddressText.ipv6Text(v6) ?? host)] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let list else { throw Refusal(description: "\(host, as: "host") does not resolve.") }
        defer { freeaddrinfo(list) }
        var found: [Address] = []
        var next: UnsafeMutablePointer<addrinfo>? = list
        while let entry = next, found.count < 32 {
            if let raw = entry.pointee.ai_addr {
                if entry.pointee.ai_family == AF_INET {
                    let value = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
                    let bytes = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
                    found.append(Address(bytes: bytes, text: bytes.map(String.init).joined(separator: ".")))
                } else if entry.pointee.ai_family == AF_INET6 {
                    var address = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    let bytes = withUnsafeBytes(of: &address) { Array($0) }
                    found.append(Address(bytes: bytes, text: IPAddressText.ipv6Text(bytes) ?? ""))
                }
            }
            next = entry.pointee.ai_next
        }
        return found
    }

    /// Why an address may not be a webhook's target, or nil when it is public.
    static func forbidden(_ bytes: [UInt8]) -> String? {
        if bytes.count == 4 { return forbiddenV4(bytes) }
        guard bytes.count == 16 else { return "not an address" }
        if bytes.allSatisfy({ $0 == 0 }) { return "the unspecified address" }
        if bytes[0..<15].allSatisfy({ $0 == 0 }), bytes[15] == 1 { return "a loopback address" }
        // ::ffff:a.b.c.d, an IPv4 address in IPv6 clothing.
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return forbiddenV4(Array(bytes[12..<16])) }
        if bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return forbiddenV4(Array(bytes[12..<16])) }  // NAT64
        if bytes[0] & 0xFE == 0xFC { return "a unique local (private) address" }
        if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0x80 { return "a link-local address" }
        if bytes[0] == 0xFF { return "a multicast address" }
        if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0D, bytes[3] == 0xB8 { return "a documentation address" }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return forbiddenV4(Array(bytes[2..<6])) }  // 6to4 carries an IPv4 address
        return nil
    }

    static func forbiddenV4(_ b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (0, _): "a \"this network\" address"
        case (10, _), (172, 16...31), (192, 168): "a private address"
        case (100, 64...127): "a shared (carrier-grade NAT) address"
        case (127, _): "a loopback address"
        case (169, 254): "a link-local address (cloud metadata lives there)"
        case (192, 0) where b[2] == 0 || b[2] == 2: "a reserved address"
        case (198, 18...19): "a benchmarking address"
        case (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: "a documentation address"
        case (224...239, _): "a multicast address"
        case (240...255, _): "a reserved address"
        default: nil
        }
    }
}
