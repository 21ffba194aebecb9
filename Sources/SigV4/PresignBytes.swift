/// A presign's bytes in one allocation of its own, sized up front and freed with the value.
///
/// Writes go straight into raw memory. Should the size given be short, the memory grows as an array's would, so an
/// estimate can only cost a copy, never write out of bounds.
struct PresignBytes: ~Copyable, ByteSink {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    /// Room for `capacity` bytes.
    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far; valid until the next write.
    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The bytes at `range` as text.
    func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: written[range]), as: UTF8.self) }

    /// Where `extra` more bytes go, after growing if they would not fit.
    @inline(__always)
    private mutating func room(for extra: Int) -> UnsafeMutablePointer<UInt8> {
        if extra > capacity &- count { grow(toHold: count + extra) }
        return base + count
    }

    @inline(never)
    private mutating func grow(toHold needed: Int) {
        let grown = max(needed, capacity * 2)
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        memory.initialize(from: base, count: count)
        base.deallocate()
        base = memory
        capacity = grown
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        room(for: 1).initialize(to: byte)
        count &+= 1
    }

    @inline(__always)
    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        room(for: bytes.count).initialize(from: source, count: bytes.count)
        count &+= bytes.count
    }

    @inline(__always)
    mutating func writeInPlace(maximumCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        guard maximumCount > 0 else { return }
        let written = body(UnsafeMutableBufferPointer(start: room(for: maximumCount), count: maximumCount))
        precondition((0...maximumCount).contains(written), "PresignBytes: a writer wrote more than it asked room for")
        count &+= written
    }

    @inline(__always)
    mutating func writeCopy(of range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "PresignBytes: a copy of bytes not yet written")
        guard !range.isEmpty else { return }
        let target = room(for: range.count)
        // The source lies before `count`, so the two do not overlap.
        target.initialize(from: base + range.lowerBound, count: range.count)
        count &+= range.count
    }
}
