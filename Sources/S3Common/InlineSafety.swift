import HTTPWire

/// Which media types a browser may render inline from a share: raster images, audio, video and plain text.
/// Everything else (HTML, XHTML, SVG, XML, JavaScript, JSON, PDF, anything unknown or unparsable) is served as an
/// attachment, and the embedded store adds `Content-Security-Policy: sandbox` to it, so no stored file can run
/// script on any origin. PDF is among them: Chromium's viewer runs a PDF's own JavaScript (`/OpenAction`), and a
/// presigned GET from another store cannot carry a CSP.
public enum InlineSafety {
    static let types: Set<String> = [
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
        "audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav", "audio/webm", "audio/flac", "audio/opus",
        "video/mp4", "video/webm", "video/ogg", "video/quicktime",
        "text/plain",
    ]

    /// The media types that may be rendered inline, sorted: the one list, which the encrypted share's page is given
    /// (`data-inline-types`) rather than keeping its own.
    public static let names: [String] = types.sorted()

    /// Whether a Content-Type value (parsed; parameters ignored) may be rendered inline.
    public static func isSafeInline(_ contentType: String) -> Bool {
        MediaType(contentType).map { types.contains($0.essence) } ?? false
    }
}
