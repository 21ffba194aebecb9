/// Which media types a browser may render inline from a share: raster images, audio, video, PDF and plain text.
/// Everything else (HTML, XHTML, SVG, XML, JavaScript, JSON, anything unknown) is served as an attachment, and the
/// embedded store adds `Content-Security-Policy: sandbox` to it, so no stored file can run script on any origin.
public enum InlineSafety {
    static let types: Set<String> = [
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
        "audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav", "audio/webm", "audio/flac", "audio/opus",
        "video/mp4", "video/webm", "video/ogg", "video/quicktime",
        "application/pdf", "text/plain",
    ]

    /// Whether a type (its `type/subtype` essence, any case, parameters ignored) may be rendered inline.
    public static func isSafeInline(_ contentType: String) -> Bool {
        types.contains(essence(contentType))
    }

    /// `type/subtype`, lowercase, of a Content-Type value (everything before `;`, trimmed).
    public static func essence(_ contentType: String) -> String {
        var bytes: [UInt8] = []
        for byte in contentType.utf8 {
            if byte == 0x3B { break }
            if byte != 0x20 && byte != 0x09 { bytes.append((0x41...0x5A).contains(byte) ? byte | 0x20 : byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
