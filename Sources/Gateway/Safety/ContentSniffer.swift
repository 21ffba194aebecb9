import CMagic
import Synchronization

/// What a file's first bytes are, by libmagic: `text/html`, `image/png`, `application/x-dosexec`, …
///
/// A libmagic cookie is not safe to share between threads, so the one cookie is used under a `Mutex`
/// (identifying 4 KiB takes microseconds); the database is loaded once.
public final class ContentSniffer: Sendable {
    /// How many leading bytes the upload check reads and identifies.
    public static let sampleBytes = 4_096

    private let cookie: Mutex<OpaquePointer?>

    public init() {
        let handle = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF | MAGIC_ERROR)
        if let handle, magic_load(handle, nil) != 0 {
            magic_close(handle)
            cookie = Mutex(nil)
        } else {
            cookie = Mutex(handle)
        }
    }

    deinit { cookie.withLock { if let handle = $0 { magic_close(handle) } } }

    /// The media type essence of `bytes`, or nil when libmagic is unavailable.
    public func type(of bytes: [UInt8]) -> String? {
        cookie.withLock { handle -> String? in
            guard let handle else { return nil }
            let result = bytes.withUnsafeBytes { magic_buffer(handle, $0.baseAddress, $0.count) }
            return result.map { String(cString: $0) }
        }
    }
}
