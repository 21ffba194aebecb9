import Foundation
import Glibc
import S3Common
import Synchronization

/// Streams a body into a temporary file through fixed 1 MiB buffers while hashing it, so memory stays
/// flat whatever the object's size.
///
/// Hashing (MD5 for the ETag, plus any checksum asked for) runs on a second thread, one buffer behind
/// the receive-and-write loop: MD5 alone runs at about the speed of the network here, so doing both on
/// one thread would halve the upload rate.
enum ObjectWriter {
    static let bufferSize = 1 << 20
    static let bufferCount = 3

    /// Copies `source` into `fd` from offset 0; refuses more than `limit` bytes.
    static func stream(_ source: BodySource, to fd: Int32, algorithms: Set<ChecksumAlgorithm>, limit: Int64) throws -> StreamingDigest {
        let pipeline = HashPipeline(digest: StreamingDigest(algorithms: algorithms), buffers: bufferCount, size: bufferSize)
        defer { pipeline.finish() }
        var written: Int64 = 0
        var next = 0
        while true {
            let buffer = pipeline.acquire(next)
            let count = try source.read(into: buffer)
            if count == 0 { break }
            guard written + Int64(count) <= limit else {
                throw S3Error(.entityTooLarge, "Your proposed upload exceeds the maximum allowed size of \(limit) bytes.", status: 400)
            }
            let filled = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            try FileIO.writeAll(fd, filled, at: written)
            pipeline.hash(next, count: count)
            written += Int64(count)
            next = (next + 1) % bufferCount
        }
        return pipeline.finish()
    }
}

/// A hashing thread fed with buffers in order; a buffer is reused only after it was hashed.
///
/// `@unchecked Sendable`: the raw buffers pass between the writer and the hashing thread by the `free` semaphores
/// (one owner at a time), and the digest is read only after `done` is signalled; the queue itself is in a `Mutex`.
final class HashPipeline: @unchecked Sendable {
    private var digest: StreamingDigest
    private let buffers: [UnsafeMutableRawBufferPointer]
    private let free: [DispatchSemaphore]
    private let ready = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private struct Queue {
        var items: [(index: Int, count: Int)] = []
        var finished = false
    }
    private let queue = Mutex(Queue())
    private var result: StreamingDigest?

    init(digest: StreamingDigest, buffers count: Int, size: Int) {
        self.digest = digest
        self.buffers = (0..<count).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64) }
        // Created at 0 and signalled once: libdispatch traps if a semaphore is freed below its initial value,
        // which a buffer acquired but never hashed (the last, empty read) would be.
        self.free = (0..<count).map { _ in
            let semaphore = DispatchSemaphore(value: 0)
            semaphore.signal()
            return semaphore
        }
        let thread = Thread { [unowned self] in self.run() }
        thread.stackSize = 256 * 1024
        thread.start()
    }

    deinit { for buffer in buffers { buffer.deallocate() } }

    /// Waits until buffer `index` has been hashed, then lends it out for filling.
    func acquire(_ index: Int) -> UnsafeMutableRawBufferPointer {
        free[index].wait()
        return buffers[index]
    }

    /// Queues the first `count` bytes of buffer `index` for hashing.
    func hash(_ index: Int, count: Int) {
        queue.withLock { $0.items.append((index, count)) }
        ready.signal()
    }

    /// Waits for every queued buffer to be hashed and returns the digest; idempotent.
    @discardableResult
    func finish() -> StreamingDigest {
        if let result { return result }
        queue.withLock { $0.finished = true }
        ready.signal()
        done.wait()
        result = digest
        return digest
    }

    private func run() {
        while true {
            ready.wait()
            let (item, drained): ((index: Int, count: Int)?, Bool) = queue.withLock { queue in
                queue.items.isEmpty ? (nil, queue.finished) : (queue.items.removeFirst(), false)
            }
            guard let item else {
                if drained { break }
                continue
            }
            digest.update(UnsafeRawBufferPointer(rebasing: buffers[item.index][0..<item.count]))
            free[item.index].signal()
        }
        done.signal()
    }
}
