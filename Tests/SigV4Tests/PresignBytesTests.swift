import Testing

@testable import SigV4

/// A presign's own buffer: every write lands as an array's append would, however short the size it was given.
struct PresignBytesTests {
    /// The same writes into an array and into a buffer sized `capacity` (64 at least), compared after each.
    @Test(arguments: [0, 10, 64, 200, 5_000])
    func writesMatchAnArrayAndGrowPastTheirSize(capacity: Int) {
        var bytes = PresignBytes(capacity: capacity)
        var reference: [UInt8] = []
        var random = SystemRandomNumberGenerator()
        for step in 0..<400 {
            switch step % 5 {
            case 0:
                bytes.write(UInt8(truncatingIfNeeded: step))
                reference.write(UInt8(truncatingIfNeeded: step))
            case 1:
                let chunk = (0..<Int.random(in: 0...90, using: &random)).map { UInt8(truncatingIfNeeded: $0 &+ step) }
                bytes.write(bytes: chunk)
                reference.write(bytes: chunk)
            case 2:
                // Up to 100 bytes from anywhere before the end, so the buffer grows steadily, not by doubling.
                let start = reference.isEmpty ? 0 : Int.random(in: 0..<reference.count, using: &random)
                let range = start..<min(reference.count, start + 100)
                bytes.writeCopy(of: range)
                reference.writeCopy(of: range)
            case 3:
                bytes.write(decimal: Int64(step * 7_919))
                reference.write(decimal: Int64(step * 7_919))
            default:
                let write: (UnsafeMutableBufferPointer<UInt8>) -> Int = { target in
                    let count = target.count / 2
                    for index in 0..<count { target[index] = 0x61 &+ UInt8(index % 26) }
                    return count
                }
                bytes.writeInPlace(maximumCount: 33, write)
                reference.writeInPlace(maximumCount: 33, write)
            }
            #expect(bytes.count == reference.count)
        }
        #expect(Array(bytes.written) == reference)
        #expect(bytes.text(0..<reference.count) == String(decoding: reference, as: UTF8.self))
    }

    @Test(arguments: [0, 9, 10, 99, 100, 1_234_567, Int64.max, -1, -10, Int64.min])
    func decimalsAreWrittenInFull(value: Int64) {
        var bytes = PresignBytes(capacity: 0)
        bytes.write(decimal: value)
        #expect(bytes.text(0..<bytes.count) == String(value))
    }
}
