/// The one table of media types by file extension, used wherever Dropgate names a file's type: the CLI's
/// declarations, the gateway's reading of a declared `application/octet-stream`, and its static files.
public enum MediaTypeTable {
    /// Lowercase extension (no dot) to media type.
    public static let byExtension: [String: String] = [
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "avif": "image/avif",
        "bmp": "image/bmp", "ico": "image/vnd.microsoft.icon", "svg": "image/svg+xml", "heic": "image/heic", "tif": "image/tiff",
        "tiff": "image/tiff", "mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm", "mov": "video/quicktime", "mkv": "video/x-matroska",
        "mp3": "audio/mpeg", "m4a": "audio/mp4", "wav": "audio/wav", "ogg": "audio/ogg", "oga": "audio/ogg", "opus": "audio/opus",
        "flac": "audio/flac", "pdf": "application/pdf", "txt": "text/plain", "md": "text/markdown", "csv": "text/csv", "json": "application/json",
        "zip": "application/zip", "gz": "application/gzip", "tar": "application/x-tar", "7z": "application/x-7z-compressed",
        "html": "text/html", "htm": "text/html", "xhtml": "application/xhtml+xml", "xml": "application/xml", "js": "text/javascript",
        "mjs": "text/javascript", "css": "text/css", "exe": "application/vnd.microsoft.portable-executable",
        "dll": "application/vnd.microsoft.portable-executable", "msi": "application/x-msi", "sh": "application/x-sh",
        "bat": "application/x-msdos-program",
        "jar": "application/java-archive", "apk": "application/vnd.android.package-archive", "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation", "odt": "application/vnd.oasis.opendocument.text",
        "rtf": "application/rtf", "wasm": "application/wasm",
    ]

    /// The type known for `filename`'s extension, if any (`"Report.PDF"` → `application/pdf`).
    public static func type(forFilename filename: String) -> String? {
        guard let dot = filename.lastIndex(of: "."), dot != filename.startIndex else { return nil }
        let ext = filename[filename.index(after: dot)...].lowercased()
        return byExtension[ext]
    }

    /// The type a client should declare for `filename`: the table's, else `application/octet-stream`.
    public static func guess(forFilename filename: String) -> String {
        type(forFilename: filename) ?? "application/octet-stream"
    }
}
