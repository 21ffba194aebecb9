import HTTPWire

/// Whether an object's first bytes, as libmagic identifies them, are of the type the client declared.
///
/// Strict where a browser could be fooled: raster images, audio, video, PDF and text must be what they say; active
/// content (HTML, SVG, XML, JavaScript) passes only as itself; `application/octet-stream` (a client that did not know)
/// passes anything, since it is only ever served as an attachment. Text must be UTF-8, unless it declared a charset.
/// Markdown may hold HTML (Markdown allows it, and READMEs use it): it is never served inline (an attachment, with
/// `nosniff`), and its page draws it from a safe subset in which HTML stays text.
enum TypeEvidence {
    static let activeTypes: Set<String> = [
        "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/javascript", "application/javascript",
        "text/x-php", "application/x-httpd-php",
    ]
    static let zipContainers: Set<String> = ["application/zip", "application/java-archive", "application/vnd.android.package-archive"]

    /// Nil when the bytes fit the declaration, else what they are (libmagic's type, or a short reason).
    static func conflict(declared: MediaType, detected: String, sample: [UInt8], objectSize: Int64) -> String? {
        let essence = declared.essence
        if objectSize == 0 || detected == "application/x-empty" || detected == "inode/x-empty" { return nil }
        if essence == "application/octet-stream" { return nil }
        let markdownWithHTML = essence == "text/markdown" && detected == "text/html"
        if activeTypes.contains(detected) && detected != essence && !(detected == "text/xml" && essence == "application/xml") && !markdownWithHTML {
            return detected
        }
        let detectedFamily = MediaType(detected)?.type ?? ""
        switch declared.type {
        case "image":
            return detectedFamily == "image" && (detected != "image/svg+xml" || essence == "image/svg+xml") ? nil : detected
        case "audio", "video":
            // One container holds either (an .mp4 of only sound is audio/mp4 to some tools and video/mp4 to others).
            return detectedFamily == "audio" || detectedFamily == "video" ? nil : detected
        case "text":
            // libmagic calls a few bytes of text "application/octet-stream" (too short for any magic): printable is fine.
            let shortText =
                detected == "application/octet-stream" && sample.count < 64
                && sample.allSatisfy { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            guard detectedFamily == "text" || detected == "application/json" || detected == "application/csv" || shortText else { return detected }
            return textEncodingConflict(declared: declared, sample: sample, complete: Int64(sample.count) == objectSize)
        default:
            break
        }
        switch essence {
        case "application/pdf": return detected == "application/pdf" ? nil : detected
        case "application/json":
            guard detected == "application/json" || detectedFamily == "text" else { return detected }
            return textEncodingConflict(declared: declared, sample: sample, complete: Int64(sample.count) == objectSize)
        case "application/zip": return zipContainers.contains(detected) || detected.hasPrefix("application/vnd.") ? nil : detected
        default: return detected == essence || detected == "application/octet-stream" ? nil : detected
        }
    }

    /// Text is UTF-8 (a sequence cut by the end of the sample is fine), or carries a charset and no NUL bytes.
    static func textEncodingConflict(declared: MediaType, sample: [UInt8], complete: Bool) -> String? {
        if let charset = declared.parameter("charset")?.lowercased(), charset != "utf-8", charset != "utf8" {
            return sample.contains(0) ? "binary data, not \(charset) text" : nil
        }
        var bytes = sample[...]
        if !complete {
            // Drop a UTF-8 sequence the sample cut in two: at most 3 continuation bytes after a lead byte.
            var back = 0
            while back < 3, let last = bytes.last, last & 0xC0 == 0x80 {
                bytes = bytes.dropLast()
                back += 1
            }
            if let last = bytes.last, last & 0xC0 == 0xC0 { bytes = bytes.dropLast() }
        }
        return String(validating: bytes, as: UTF8.self) == nil ? "text that is not valid UTF-8" : nil
    }
}
