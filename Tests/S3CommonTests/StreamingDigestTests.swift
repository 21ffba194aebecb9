import Foundation
import S3Common
import Testing

/// Every checksum S3 takes, against its published check value of "123456789".
struct StreamingDigestTests {
    @Test(arguments: [
        (ChecksumAlgorithm.crc32, "cbf43926"), (.crc32c, "e3069283"), (.crc64nvme, "ae8b14860a799888"),
        (.sha1, "f7c3bc1d808e04732adf679965ccc34ca7ae3441"), (.sha256, "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"),
    ])
    func checkValues(algorithm: ChecksumAlgorithm, hex: String) throws {
        var digest = StreamingDigest(algorithms: [algorithm])
        Array("1234".utf8).withUnsafeBytes { digest.update($0) }  // in two pieces, as a stream arrives
        Array("56789".utf8).withUnsafeBytes { digest.update($0) }
        let bytes = try #require(digest.base64(algorithm).flatMap { Data(base64Encoded: $0) })
        #expect(bytes.count == algorithm.digestLength)
        #expect(bytes.map { String(format: "%02x", $0) }.joined() == hex)
    }
}
