import Crypto
import HTTPServer
import S3Common
import SigV4

/// Decodes an `aws-chunked` body (`Content-Encoding: aws-chunked`), verifying each chunk's signature
/// for the signed variants and the trailer's signature for `…-PAYLOAD-TRAILER`.
///
/// Wire format: `hex-size[;chunk-signature=sig]\r\n data \r\n` … `0[;chunk-signature=sig]\r\n`, then for
/// trailer variants `x-amz-checksum-*:value\r\n[x-amz-trailer-signature:sig\r\n]`, then `\r\n`.
final class AWSChunkedReader: BodySource {
    private let input: BodyBuffer
    private var chain: ChunkSignatureChain?
    private let hasTrailer: Bool
    private let trailerSigned: Bool
    private var remainingInChunk = 0
    private var chunkHash = SHA256()
    private var expectedSignature = ""
    private var finished = false
    /// The trailing checksum, once the body is read (`x-amz-checksum-crc32` → value).
    private(set) var trailers: [String: String] = [:]
    private(set) var decodedLength: Int64 = 0

    init(source: BodySource, payload: Payload, chain: ChunkSignatureChain?) {
        self.input = BodyBuffer(
            source: source, endedEarly: S3Error(.incompleteBody, "The aws-chunked body ended before its last chunk.", status: 400))
        switch payload {
        case .streamingSigned:
            self.chain = chain
            hasTrailer = false
            trailerSigned = false
        case .streamingSignedWithTrailer:
            self.chain = chain
            hasTrailer = true
            trailerSigned = true
        default:
            self.chain = nil
            hasTrailer = true
            trailerSigned = false
        }
    }

    func read(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        while !finished {
            if remainingInChunk > 0 {
                try input.fill(1)
                let count = min(remainingInChunk, target.count, input.available)
                input.take(count, into: target)
                if chain != nil { chunkHash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: target[0..<count])) }
                remainingInChunk -= count
                decodedLength += Int64(count)
                if remainingInChunk == 0 { try endChunk() }
                return count
            }
            try startChunk()
        }
        return 0
    }

    /// Reads a chunk header; a zero-size chunk ends the body (and reads the trailer).
    private func startChunk() throws {
        let line = try readLine()
        let parts = line.split(separator: ";", maxSplits: 1)
        guard let sizeText = parts.first, let size = Int(sizeText, radix: 16), size >= 0, sizeText.count <= 15 else {
            throw S3Error(.incompleteBody, "An aws-chunked chunk header is malformed: '\(line.prefix(80))'.", status: 400)
        }
        if chain != nil {
            guard parts.count == 2, parts[1].hasPrefix("chunk-signature="), parts[1].count == "chunk-signature=".count + 64 else {
                throw S3Error(.signatureDoesNotMatch, "An aws-chunked chunk has no chunk-signature.", status: 403)
            }
            expectedSignature = String(parts[1].dropFirst("chunk-signature=".count))
            chunkHash = SHA256()
        }
        remainingInChunk = size
        if size == 0 { try endBody() }
    }

    private func endChunk() throws {
        let separator = try readLine()
        guard separator.isEmpty else { throw S3Error(.incompleteBody, "An aws-chunked chunk is not followed by CRLF.", status: 400) }
        if chain != nil { try verifyChunkSignature() }
    }

    private func verifyChunkSignature() throws {
        do {
            try chain?.verifyNext(chunkSHA256: chunkHash.finalize(), signature: expectedSignature)
        } catch {
            throw S3Error(error)
        }
    }

    private func endBody() throws {
        if chain != nil { try verifyChunkSignature() }
        if hasTrailer {
            var canonicalTrailer: [UInt8] = []
            var trailerSignature: String?
            while true {
                let line = try readLine()
                if line.isEmpty { break }
                guard let colon = line.firstIndex(of: ":") else {
                    throw S3Error(.malformedTrailerError, "The request contained trailing data that was not well-formed.", status: 400)
                }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name == "x-amz-trailer-signature" {
                    trailerSignature = value
                } else {
                    trailers[name] = value
                    canonicalTrailer.append(contentsOf: "\(name):\(value)\n".utf8)
                }
                guard trailers.count <= 8 else { throw S3Error(.malformedTrailerError, "Too many trailing headers.", status: 400) }
            }
            if trailerSigned {
                guard let trailerSignature else { throw S3Error(.signatureDoesNotMatch, "The trailer has no x-amz-trailer-signature.", status: 403) }
                do { try chain?.verifyTrailer(canonicalTrailer: canonicalTrailer, signature: trailerSignature) } catch { throw S3Error(error) }
            }
        } else {
            let last = try readLine()
            guard last.isEmpty else { throw S3Error(.incompleteBody, "The aws-chunked body does not end with CRLF.", status: 400) }
        }
        finished = true
    }

    /// Reads one CRLF-terminated line (at most 8 KiB).
    private func readLine() throws -> String {
        try input.readLine(maximum: 8 * 1024, tooLong: S3Error(.incompleteBody, "An aws-chunked line is longer than 8 KiB.", status: 400))
    }
}
