/// The path of an S3 object, `/bucket/key` (path-style) or `/key` (virtual-hosted), given as its parts.
///
/// A presigner encodes it straight into the buffer it signs from (see
/// ``Signer/presignedURL(_:objectPath:host:scheme:expires:payload:date:)``): each part is percent-encoded once,
/// with `/` kept in the key, so the path is its own canonical URI and never becomes a string of its own.
public struct ObjectPath: Sendable, Hashable {
    /// The bucket, when it is part of the path; `nil` when it is part of the host.
    public var bucket: String?
    /// The object key, unencoded.
    public var key: String

    public init(bucket: String?, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// The wire path, as ``append(to:)`` writes it.
    public var wirePath: String {
        var bytes: [UInt8] = []
        _ = append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the encoded path to `bytes` and returns where it lies.
    func append<Sink: ByteSink & ~Copyable>(to bytes: inout Sink) -> Range<Int> {
        let start = bytes.count
        bytes.write(0x2F)
        if let bucket {
            PercentEncoding.append(encoding: bucket, to: &bytes, keepingSlash: false)
            if !key.isEmpty { bytes.write(0x2F) }
        }
        PercentEncoding.append(encoding: key, to: &bytes, keepingSlash: true)
        return start..<bytes.count
    }
}
