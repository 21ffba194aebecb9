import Glibc

/// IP address literals, read and written by the C library (inet_pton(3), inet_ntop(3)): IPv4 dotted quads, and IPv6
/// in any RFC 4291 form, written back in the canonical RFC 5952 form.
public enum IPAddressText {
    /// The 4 bytes of an IPv4 literal (`203.0.113.9`); nil for anything else.
    public static func ipv4Bytes(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        let value = UInt32(bigEndian: address.s_addr)
        return [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// The 16 bytes of an IPv6 literal (`2001:db8::1`, `::ffff:1.2.3.4`); nil for anything else.
    public static func ipv6Bytes(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// The canonical text of 16 IPv6 bytes (`2001:db8::1`); nil unless there are 16.
    public static func ipv6Text(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 16 else { return nil }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
