import Crypto

/// A canonical request and the string to sign derived from it, kept as bytes.
///
/// SigV4: `METHOD \n URI \n QUERY \n HEADERS \n \n SIGNED-HEADERS \n PAYLOAD-HASH`, lines joined by LF.
public struct CanonicalRequest: Sendable, Hashable {
    /// The canonical request's bytes.
    public let bytes: [UInt8]

    /// The canonical request as text, for error bodies and logs.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Builds the canonical request of `request`.
    ///
    /// - Parameters:
    ///   - extraQuery: parameters signed in addition to the request's own (the `X-Amz-*` of a presigned URL).
    ///   - excludingQuery: a query parameter that is left out (`X-Amz-Signature`).
    init(
        method: String, wirePath: String, query: [SignableRequest.QueryItem], extraQuery: [CanonicalQuery.Pair] = [],
        excludingQuery: String? = nil, headers: CanonicalHeaders, payload: String, options: SigningOptions
    ) {
        self.init(
            method: method, wirePath: wirePath, headers: headers, payload: payload, options: options,
            capacity: 256 + wirePath.utf8.count * 3 + headers.entries.count * 48
        ) { buffer in
            var pairs = CanonicalQuery.pairs(query, excluding: excludingQuery)
            pairs.append(contentsOf: extraQuery)
            CanonicalQuery.append(sorting: &pairs, to: &buffer)
        }
    }

    /// Where the canonical URI comes from.
    enum Path {
        /// A path in wire form; `isCanonical` as ``SignableRequest/pathIsCanonical``.
        case wire(String, isCanonical: Bool)
        /// A canonical path already written into the same buffer, at this range.
        case copy(Range<Int>)
    }

    /// Builds a canonical request whose query section `writeQuery` renders.
    init(
        method: String, wirePath: String, headers: CanonicalHeaders, payload: String, options: SigningOptions, capacity: Int,
        writeQuery: (inout [UInt8]) -> Void
    ) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(capacity)
        headers.withView { headers in
            Self.append(
                method: method, path: .wire(wirePath, isCanonical: false), headers: headers, payload: payload, options: options, to: &buffer,
                writeQuery: writeQuery)
        }
        self.bytes = buffer
    }

    /// Appends the canonical request to `buffer`, whose query section `writeQuery` renders (the presign fast path,
    /// which keeps every part of a presign in one buffer).
    static func append<Sink: ByteSink & ~Copyable>(
        method: String, path: Path, headers: CanonicalHeaders.View, payload: String, options: SigningOptions, to buffer: inout Sink,
        writeQuery: (inout Sink) -> Void
    ) {
        buffer.write(utf8: method)
        buffer.write(0x0A)
        switch path {
        case .wire(let wirePath, true) where !wirePath.isEmpty && options.pathEncoding == .single && !options.normalizesPath:
            buffer.write(utf8: wirePath)
        case .wire(let wirePath, _):
            CanonicalURI.append(wirePath: wirePath.utf8, options: options, to: &buffer)
        case .copy(let range):
            buffer.writeCopy(of: range)
        }
        buffer.write(0x0A)
        writeQuery(&buffer)
        buffer.write(0x0A)
        headers.appendBlock(to: &buffer)
        buffer.write(0x0A)
        headers.appendSignedHeaders(to: &buffer)
        buffer.write(0x0A)
        buffer.write(utf8: payload)
    }

    /// The string to sign: `AWS4-HMAC-SHA256 \n timestamp \n scope \n hex(sha256(canonical request))`.
    func stringToSign(date: AmzDate, scope: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32 + 17 + scope.count + 65)
        let digest = bytes.withUnsafeBytes { StringToSign.sha256($0) }
        StringToSign.append(timestamp: date.inlineTimestamp, scope: scope, canonicalDigest: digest, to: &out)
        return out
    }
}

/// The constants of the strings to sign.
enum StringToSign {
    static let chunkAlgorithm: [UInt8] = Array("AWS4-HMAC-SHA256-PAYLOAD".utf8)
    static let trailerAlgorithm: [UInt8] = Array("AWS4-HMAC-SHA256-TRAILER".utf8)

    /// The SHA-256 of contiguous bytes.
    static func sha256(_ bytes: UnsafeRawBufferPointer) -> SHA256.Digest {
        var hash = SHA256()
        hash.update(bufferPointer: bytes)
        return hash.finalize()
    }

    /// Appends `AWS4-HMAC-SHA256 \n timestamp \n scope \n hex(canonicalDigest)`, the digest being the canonical request's SHA-256.
    static func append<Sink: ByteSink & ~Copyable>(timestamp: InlineTimestamp, scope: [UInt8], canonicalDigest: SHA256.Digest, to out: inout Sink) {
        out.write(literal: "AWS4-HMAC-SHA256\n")
        timestamp.append(to: &out)
        out.write(0x0A)
        out.write(bytes: scope)
        out.write(0x0A)
        canonicalDigest.withUnsafeBytes { Hex.append(raw: $0, to: &out) }
    }
}
