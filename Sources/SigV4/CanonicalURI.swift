/// Turns the path of a request, as it travels on the wire, into the canonical URI.
enum CanonicalURI {
    /// Appends the canonical URI of `wirePath` (an empty path is `/`).
    ///
    /// - S3 (`.single`): the path is decoded and encoded once, `/` kept; `.`, `..` and `//` stay.
    /// - Generic (`.double`): the wire path, normalized if asked, is encoded once more.
    static func append<Sink: ByteSink & ~Copyable>(wirePath: some Collection<UInt8>, options: SigningOptions, to buffer: inout Sink) {
        guard !wirePath.isEmpty else {
            buffer.write(0x2F)
            return
        }
        if options.normalizesPath {
            let path = normalize(Array(wirePath))
            switch options.pathEncoding {
            case .single: PercentEncoding.appendCanonical(path, to: &buffer, keepingSlash: true)
            case .double: PercentEncoding.append(sequence: path, to: &buffer, keepingSlash: true)
            }
        } else {
            switch options.pathEncoding {
            case .single: PercentEncoding.appendCanonical(wirePath, to: &buffer, keepingSlash: true)
            case .double: PercentEncoding.append(sequence: wirePath, to: &buffer, keepingSlash: true)
            }
        }
    }

    /// RFC 3986 dot-segment removal plus merging of empty segments. A trailing slash is kept.
    static func normalize(_ path: [UInt8]) -> [UInt8] {
        let segments = path.split(separator: 0x2F, omittingEmptySubsequences: true)
        var kept: [ArraySlice<UInt8>] = []
        for segment in segments {
            if segment.elementsEqual([0x2E]) { continue }
            if segment.elementsEqual([0x2E, 0x2E]) {
                if !kept.isEmpty { kept.removeLast() }
                continue
            }
            kept.append(segment)
        }
        var out: [UInt8] = [0x2F]
        for (index, segment) in kept.enumerated() {
            if index > 0 { out.append(0x2F) }
            out.append(contentsOf: segment)
        }
        let last = segments.last
        let endsWithSlash = path.last == 0x2F
        let endsWithDots = last.map { $0.elementsEqual([0x2E]) || $0.elementsEqual([0x2E, 0x2E]) } ?? false
        if (endsWithSlash || endsWithDots) && !kept.isEmpty { out.append(0x2F) }
        return out
    }
}
