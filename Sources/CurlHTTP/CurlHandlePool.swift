import CCurl
import Synchronization

/// libcurl easy handles kept between requests, so their connections stay alive (keep-alive reuse).
///
/// A handle is used by one thread at a time: ``acquire()`` hands one out (a new one if none is idle)
/// and ``release(_:)`` resets its options and keeps it, up to `capacity` idle handles.
final class CurlHandlePool: Sendable {
    /// libcurl's global state, initialized once before the first handle.
    static let globalInit: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    private struct Handle: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    private let idle = Mutex<[Handle]>([])
    let capacity: Int

    init(capacity: Int = 16) {
        self.capacity = capacity
        _ = Self.globalInit
    }

    deinit {
        for handle in idle.withLock({ $0 }) { curl_easy_cleanup(handle.pointer) }
    }

    func acquire() throws -> UnsafeMutableRawPointer {
        if let handle = idle.withLock({ $0.popLast() }) { return handle.pointer }
        guard let handle = curl_easy_init() else { throw NetworkError(endpoint: "", reason: "curl_easy_init failed", curlCode: -1) }
        return handle
    }

    /// Resets a handle's options (keeping its live connections) and keeps it for the next request.
    func release(_ handle: UnsafeMutableRawPointer, reusable: Bool = true) {
        guard reusable else {
            curl_easy_cleanup(handle)
            return
        }
        curl_easy_reset(handle)
        let kept = idle.withLock { idle -> Bool in
            guard idle.count < capacity else { return false }
            idle.append(Handle(pointer: handle))
            return true
        }
        if !kept { curl_easy_cleanup(handle) }
    }
}
