import Foundation
import HTTPWire
import SigV4

/// Object keys for uploads: `uploads/<yyyy>/<mm>/<random id>/<sanitized filename>`.
enum ObjectKey {
    /// A filename safe in a key, a URL and a Content-Disposition: path parts, control characters and
    /// characters outside `[A-Za-z0-9._-]` become `_`; leading dots are dropped; at most 120 bytes.
    static func sanitize(_ filename: String) -> String {
        // A name that is already safe (the usual case) is kept as it is.
        let bytes = filename.utf8
        if (1...120).contains(bytes.count), bytes.first != 0x2E, bytes.allSatisfy({ isAllowed(Unicode.Scalar($0)) }) { return filename }
        // The last path part that is not empty: what follows the last separator, unless the name ends in one.
        let scalars = filename.unicodeScalars
        let isSeparator = { (scalar: Unicode.Scalar) in scalar == "/" || scalar == "\\" }
        var end = scalars.endIndex
        while end > scalars.startIndex, isSeparator(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        let start = scalars[..<end].lastIndex(where: isSeparator).map { scalars.index(after: $0) } ?? scalars.startIndex
        var kept = String.UnicodeScalarView()
        for scalar in scalars[start..<end] {
            // Leading dots are dropped.
            if scalar == "." && kept.isEmpty { continue }
            kept.append(isAllowed(scalar) ? scalar : "_")
        }
        var out = String(kept)
        if out.utf8.count > 120 {
            let ext = (out as NSString).pathExtension
            out = String(out.prefix(100)) + (ext.isEmpty || ext.count > 10 ? "" : "." + ext)
        }
        return out.isEmpty ? "file" : out
    }

    /// `[A-Za-z0-9._-]`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }

    /// A fresh key for `filename` at `date`, with 128 random bits: `uploads/2026/12/<22 base64url>/<sanitized name>`.
    static func make(filename: String, date: Date, random: RandomBytes = .system) -> String {
        let (year, month, _) = CivilTime.civilFromDays(CivilTime.floorDiv(Int64(date.timeIntervalSince1970.rounded(.down)), 86_400))
        let name = sanitize(filename)
        var key = "uploads/"
        key.reserveCapacity(40 + name.utf8.count)
        key += String(year)  // four digits from 1970 to 9999
        key += month < 10 ? "/0" : "/"
        key += String(month)
        key += "/"
        key += Base64URL.encode(random.bytes(16))
        key += "/"
        key += name
        return key
    }

    /// Whether `key` has the shape of an upload key: `uploads/`, a 4-digit year, a 2-digit month, 22 base64url
    /// characters and a sanitized filename, nothing else (no share record, no `..`).
    static func isUploadKey(_ key: String, prefixes: Set<Substring> = ["uploads"]) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, prefixes.contains(parts[0]), key.utf8.count <= 1_024 else { return false }
        let digits = { (part: Substring, count: Int) in part.utf8.count == count && part.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        let base64url = { (byte: UInt8) in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
        }
        return digits(parts[1], 4) && digits(parts[2], 2) && parts[3].utf8.count == 22 && parts[3].utf8.allSatisfy(base64url)
            && sanitize(String(parts[4])) == parts[4]
    }

    /// Where a verified single-request upload is published: `shared/…` in place of `uploads/…`. No URL the gateway
    /// hands out can write there, so a share serves exactly the bytes that were verified.
    static func published(_ uploadKey: String) -> String { "shared/" + uploadKey.dropFirst("uploads/".count) }

    /// The upload key a published key was copied from (an upload key is its own).
    static func staging(of key: String) -> String { key.hasPrefix("shared/") ? "uploads/" + key.dropFirst("shared/".count) : key }

    /// A key a share record may point to: an upload key, or its published copy.
    static func isShareableKey(_ key: String) -> Bool { isUploadKey(key, prefixes: ["uploads", "shared"]) }

    /// Where an upload's thumbnail is sent (its presigned PUT can write only here): `thumbs/staging/…` for `uploads/…`.
    static func stagedThumbnail(of uploadKey: String) -> String { "thumbs/staging/" + uploadKey.dropFirst("uploads/".count) }

    /// Where a checked thumbnail is kept and served from, which no URL the gateway hands out can write:
    /// `thumbs/…` for `uploads/…` (or its published `shared/…`). Neither is a shareable key.
    static func thumbnail(of key: String) -> String { "thumbs/" + staging(of: key).dropFirst("uploads/".count) }

    /// The upload key a thumbnail key (staged or kept) belongs to; nil for any other key.
    static func uploadKey(ofThumbnail key: String) -> String? {
        let prefix = ["thumbs/staging/", "thumbs/"].first { key.hasPrefix($0) }
        guard let prefix else { return nil }
        let rest = key.dropFirst(prefix.count)
        let uploadKey = "uploads/" + rest
        return isUploadKey(uploadKey) ? uploadKey : nil
    }

    /// The reserved prefix of share records; upload keys never start with it.
    static let sharePrefix = ".dropgate/shares/"

    /// The reserved prefix of the upload-key → share-id index.
    static let keyIndexPrefix = ".dropgate/keys/"
}
