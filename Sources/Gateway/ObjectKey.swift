import EndToEnd
import Foundation
import HTTPWire
import SigV4

/// Object keys for uploads: `uploads/<yyyy>/<mm>/<random id>/<sanitized filename>`.
enum ObjectKey {
    /// A filename safe in a key, a URL and a Content-Disposition: path parts, control characters and
    /// characters outside `[A-Za-z0-9._-]` become `_`; leading dots are dropped; at most 120 bytes.
    static func sanitize(_ filename: String) -> String {
        sanitizeASCII(filename) ?? sanitizeScalars(filename)
    }

    /// ``sanitize(_:)`` of an all-ASCII name of a usual length, on bytes (each scalar is one byte); nil for any other
    /// name, which ``sanitizeScalars(_:)`` takes. The tests check that both give the same for ASCII names.
    static func sanitizeASCII(_ filename: String) -> String? {
        var written: Int?
        let name = String(unsafeUninitializedCapacity: max(4, filename.utf8.count)) { out in
            written = writeSanitizedASCII(filename, into: out)
            return written ?? 0
        }
        return written == nil ? nil : name
    }

    /// Writes ``sanitize(_:)`` of an all-ASCII name of a usual length into `out` (room for the name, and for `file`),
    /// and returns how many bytes that is; nil for any other name, which ``sanitizeScalars(_:)`` takes.
    static func writeSanitizedASCII(_ filename: String, into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        filename.withUTF8Bytes { bytes -> Int? in
            guard bytes.count <= 1_024, out.count >= max(4, bytes.count), bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            let isSeparator = { (byte: UInt8) in byte == 0x2F || byte == 0x5C }
            var end = bytes.count
            while end > 0, isSeparator(bytes[end - 1]) { end -= 1 }
            var start = end
            while start > 0, !isSeparator(bytes[start - 1]) { start -= 1 }
            var count = 0
            for byte in bytes[start..<end] {
                if byte == 0x2E && count == 0 { continue }  // leading dots are dropped
                out[count] = isAllowed(UInt32(byte)) ? byte : 0x5F
                count += 1
            }
            guard count <= 120 else { return nil }  // the long-name rule is the general path's
            guard count > 0 else {
                for (index, byte) in "file".utf8.enumerated() { out[index] = byte }
                return 4
            }
            return count
        }
    }

    /// `[A-Za-z0-9._-]`.
    @inline(__always)
    static func isAllowed(_ value: UInt32) -> Bool {
        (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) || value == 0x2E || value == 0x2D
            || value == 0x5F
    }

    /// ``sanitize(_:)`` scalar by scalar: any name.
    static func sanitizeScalars(_ filename: String) -> String {
        // The last path part that is not empty: what follows the last separator, unless the name ends in one.
        let scalars = filename.unicodeScalars
        let isSeparator = { (scalar: Unicode.Scalar) in scalar == "/" || scalar == "\\" }
        var end = scalars.endIndex
        while end > scalars.startIndex, isSeparator(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        let start = scalars[..<end].lastIndex(where: isSeparator).map { scalars.index(after: $0) } ?? scalars.startIndex
        var kept = String.UnicodeScalarView()
        for scalar in scalars[start..<end] {
            // Leading dots are dropped.
            if scalar.value == 0x2E && kept.isEmpty { continue }
            kept.append(isAllowed(scalar.value) ? scalar : "_")
        }
        var out = String(kept)
        if out.utf8.count > 120 {
            let ext = (out as NSString).pathExtension
            out = String(out.prefix(100)) + (ext.isEmpty || ext.count > 10 ? "" : "." + ext)
        }
        return out.isEmpty ? "file" : out
    }

    /// A fresh key for `filename` at `date`, with 128 random bits: `uploads/2026/12/<22 base64url>/<sanitized name>`,
    /// written straight into its one string for an ASCII name.
    static func make(filename: String, date: Date, random: RandomBytes = .system) -> String {
        // The year and month in UTC, without a Calendar on the upload path.
        let (year, month, _) = CivilTime.civilFromDays(CivilTime.floorDiv(Int64(date.timeIntervalSince1970.rounded(.down)), 86_400))
        let entropy = random.bytes(16)
        let prefixLength = 16 + Base64URL.encodedLength(entropy.count) + 1
        var sanitized = true
        let key = String(unsafeUninitializedCapacity: prefixLength + max(4, filename.utf8.count)) { out in
            var at = 0
            for byte in "uploads/".utf8 {
                out[at] = byte
                at += 1
            }
            CivilTime.writeDigits(year, width: 4, into: out, at: 8)
            out[12] = 0x2F
            CivilTime.writeDigits(month, width: 2, into: out, at: 13)
            out[15] = 0x2F
            at = 16 + entropy.withUnsafeBufferPointer { Base64URL.write($0, into: UnsafeMutableBufferPointer(rebasing: out[16...])) }
            out[at] = 0x2F
            at += 1
            guard let name = writeSanitizedASCII(filename, into: UnsafeMutableBufferPointer(rebasing: out[at...])) else {
                sanitized = false
                return at
            }
            return at + name
        }
        // Any other name is sanitized scalar by scalar, after the same prefix.
        return sanitized ? key : key + sanitizeScalars(filename)
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

    /// The reserved prefix of share records; upload keys never start with it.
    static let sharePrefix = ".dropgate/shares/"

    /// The reserved prefix of the upload-key → share-id index.
    static let keyIndexPrefix = ".dropgate/keys/"
}
