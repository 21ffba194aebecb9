import Glibc
import Synchronization

/// Where random bytes come from: the system's generator, or a fixed sequence in tests.
public struct RandomBytes: Sendable {
    let bytes: @Sendable (Int) -> [UInt8]

    /// - Parameter bytes: `count` random bytes.
    public init(_ bytes: @escaping @Sendable (Int) -> [UInt8]) { self.bytes = bytes }

    /// The kernel's cryptographically secure generator (`/dev/urandom`), drawn 4 KiB at a time: an upload key's 16
    /// bytes then cost no system call of their own. Bytes handed out are wiped from the pool.
    public static let system = RandomBytes { count in SystemRandomPool.shared.take(count) }
}

/// Bytes from the kernel, kept in one pool behind a lock and refilled when they run out. (Glibc's Swift module has no
/// `getrandom`; `/dev/urandom` is the same generator once the kernel is seeded, which it is long before a server runs.)
final class SystemRandomPool: Sendable {
    static let shared = SystemRandomPool()
    static let size = 4_096

    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: SystemRandomPool.size)
        /// The first byte not handed out yet; `size` when empty.
        var next = SystemRandomPool.size
    }

    private let pool = Mutex(Pool())

    /// `count` fresh random bytes; a request larger than a quarter of the pool goes to the kernel directly.
    func take(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        guard count <= Self.size / 4 else { return Self.fill(count) }
        return pool.withLock { pool in
            if Self.size - pool.next < count {
                pool.bytes.withUnsafeMutableBytes { Self.fill($0) }
                pool.next = 0
            }
            let range = pool.next..<(pool.next + count)
            let taken = Array(pool.bytes[range])
            pool.bytes.withUnsafeMutableBufferPointer { buffer in
                for index in range { buffer[index] = 0 }
            }
            pool.next += count
            return taken
        }
    }

    static func fill(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// `/dev/urandom`, opened once; -1 when it cannot be (then the standard library's generator serves).
    static let device = open("/dev/urandom", O_RDONLY | O_CLOEXEC)

    /// Fills `buffer` from the kernel.
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var filled = 0
        while filled < buffer.count, device >= 0 {
            let got = read(device, buffer.baseAddress! + filled, buffer.count - filled)
            if got > 0 {
                filled += got
            } else if got == 0 || errno != EINTR {
                break
            }
        }
        guard filled < buffer.count else { return }
        var generator = SystemRandomNumberGenerator()
        for index in filled..<buffer.count { buffer[index] = generator.next() }
    }
}
