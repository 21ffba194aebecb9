/// The checksums S3 accepts in `x-amz-checksum-*` headers and trailers, each base64 of the digest.
public enum ChecksumAlgorithm: String, Sendable, CaseIterable, Codable {
    case crc32 = "CRC32"
    case crc32c = "CRC32C"
    case sha1 = "SHA1"
    case sha256 = "SHA256"
    case crc64nvme = "CRC64NVME"

    /// The header name, `x-amz-checksum-crc32`.
    public var headerName: String { "x-amz-checksum-\(rawValue.lowercased())" }

    /// The digest size in bytes.
    public var digestLength: Int {
        switch self {
        case .crc32, .crc32c: 4
        case .crc64nvme: 8
        case .sha1: 20
        case .sha256: 32
        }
    }

    /// The XML element of its value in S3's bodies, `ChecksumCRC32`.
    public var elementName: String { "Checksum" + rawValue }

    /// The checksums among `element`'s children (`<ChecksumCRC32>…`), by algorithm.
    public static func checksums(in element: XMLTree) -> [ChecksumAlgorithm: String] {
        var found: [ChecksumAlgorithm: String] = [:]
        for algorithm in allCases { if let value = element.text(of: algorithm.elementName) { found[algorithm] = value } }
        return found
    }

    /// The elements of `checksums`, in a fixed order.
    public static func elements(_ checksums: [ChecksumAlgorithm: String]) -> [XMLTree] {
        allCases.compactMap { algorithm in checksums[algorithm].map { XMLTree.leaf(algorithm.elementName, $0) } }
    }

    /// Whether it is a CRC, which S3 can combine into a full-object checksum of a multipart upload.
    public var isCRC: Bool { self == .crc32 || self == .crc32c || self == .crc64nvme }

    /// The algorithm of a header or trailer name such as `x-amz-checksum-crc32c`.
    public init?(headerName: String) {
        let lowered = headerName.lowercased()
        guard lowered.hasPrefix("x-amz-checksum-") else { return nil }
        self.init(rawValue: String(lowered.dropFirst("x-amz-checksum-".count)).uppercased())
    }
}
