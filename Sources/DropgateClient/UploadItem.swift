import Crypto
import DropgateAPI
import EndToEnd
import Foundation
import Glibc
import HTTPWire

/// One file as `dropgate upload` sends it: the file itself, or its sealed form in a temporary file (`--encrypt`).
public struct UploadItem {
    /// The key and nonce prefix a file was sealed with (base64url), kept in the journal so a resumed upload seals the
    /// same bytes again, and the SHA-256 of the plaintext they sealed. A key and prefix are used again only for the very
    /// same plaintext (`docs/encryption.md`): any other bytes get a fresh prefix, so no nonce ever seals two plaintexts.
    /// The journal is the user's own 0600 file.
    public struct Sealing: Codable, Equatable {
        public var key: String
        public var prefix: String
        /// base64url; absent in journals of earlier versions, whose sealings are then never used again.
        public var plaintextSHA256: String? = nil
    }

    /// The bytes to send.
    var path: String
    /// The user's file: the journal's key, and what a change of means starting over.
    var original: String
    /// The name shown on the progress bar.
    var name: String
    /// The name the gateway is told (a placeholder for a sealed file).
    var declaredName: String
    var contentType: String
    var encryption: EncryptionDeclaration?
    public var sealing: Sealing?

    /// The file as it is.
    public static func plain(_ path: String, contentType: String) -> UploadItem {
        let name = (path as NSString).lastPathComponent
        return UploadItem(path: path, original: path, name: name, declaredName: name, contentType: contentType)
    }

    /// The file sealed (`docs/encryption.md`) into a temporary file, a record at a time, so memory stays one record;
    /// its sealing names the SHA-256 of the very bytes sealed (hashed as they are read, so a file that changes
    /// meanwhile cannot make the digest speak of other bytes).
    public static func sealed(_ path: String, number: Int, key: SymmetricKey, prefix: [UInt8]) throws -> UploadItem {
        let header = SealedHeader(prefix: prefix)
        let file = SealedFile(key: key, header: header)
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw ClientError("cannot open it: \(String(cString: strerror(errno)))") }
        defer { close(input) }
        var info = stat()
        fstat(input, &info)
        let size = Int64(info.st_size)
        let (output, sealedPath) = try makeTemporaryFile(named: "dropgate-sealed")
        defer { close(output) }
        var hasher = SHA256()
        do {
            try FileWrite.all(header.bytes, to: output)
            let count = SealedFormat.recordCount(plaintextSize: size, recordSize: header.recordSize)
            var piece = [UInt8](repeating: 0, count: header.recordSize)
            for index in 0..<count {
                let length = Int(min(Int64(header.recordSize), size - index * Int64(header.recordSize)))
                let read = piece.withUnsafeMutableBytes { pread(input, $0.baseAddress, length, off_t(index * Int64(header.recordSize))) }
                guard read == length else { throw ClientError("reading it failed (it changed while being sealed?)") }
                hasher.update(data: piece[0..<length])
                try FileWrite.all(try file.seal(piece[0..<length], index: index, last: index == count - 1), to: output)
            }
        } catch {
            unlink(sealedPath)
            throw error
        }
        return UploadItem(
            path: sealedPath, original: path, name: (path as NSString).lastPathComponent, declaredName: "encrypted-\(number)",
            contentType: "application/octet-stream", encryption: EncryptionDeclaration(plaintextSize: size, recordSize: header.recordSize),
            sealing: Sealing(
                key: Base64URL.encode(key.withUnsafeBytes { Array($0) }), prefix: Base64URL.encode(prefix),
                plaintextSHA256: Base64URL.encode(Array(hasher.finalize()))))
    }

    /// Creates a new temporary file (`mkstemp`) whose name starts with `name` and this process's id, so a later run
    /// can tell (``removeAbandonedTemporaries()``) the ones a killed run left; returns its descriptor and path.
    static func makeTemporaryFile(named name: String) throws -> (fd: Int32, path: String) {
        var template = Array((NSTemporaryDirectory() + "/\(name)-\(getpid())-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ClientError("cannot make a temporary file: \(String(cString: strerror(errno)))") }
        return (fd, String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The sealed manifest of the files, as a temporary file.
    public static func manifest(_ manifest: Manifest, key: SymmetricKey) throws -> UploadItem {
        let plaintext = Array(try JSONEncoder().encode(manifest))
        let sealed = try SealedFile(key: key, header: .random()).seal(plaintext)
        let (output, path) = try makeTemporaryFile(named: "dropgate-manifest")
        defer { close(output) }
        try FileWrite.all(sealed, to: output)
        return UploadItem(
            path: path, original: path, name: "list of files", declaredName: "encrypted-1", contentType: "application/octet-stream",
            encryption: EncryptionDeclaration(plaintextSize: Int64(plaintext.count), recordSize: SealedFormat.defaultRecordSize))
    }

    /// Deletes the sealed temporary files of runs that are no longer running (killed before they could clean up):
    /// `dropgate-sealed-<pid>-…` and `dropgate-manifest-<pid>-…` whose process is gone.
    public static func removeAbandonedTemporaries() {
        let folder = NSTemporaryDirectory()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            for kind in ["dropgate-sealed-", "dropgate-manifest-"] where name.hasPrefix(kind) {
                let rest = name.dropFirst(kind.utf8.count)
                guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + name) }
            }
        }
    }

    /// Deletes the temporary sealed file, if this item has one.
    public func removeTemporary() {
        if path != original { unlink(path) }
    }

    /// A file's modification time in nanoseconds since 1970.
    static func modified(_ path: String) throws -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ClientError("cannot read it: \(String(cString: strerror(errno)))") }
        return Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}
