import Crypto
import Foundation

/// The signatures of an aws-chunked body (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`).
///
/// Each chunk's signature covers the previous signature, so the chain starts from the seed signature
/// (the `Authorization` header's) and must be fed every chunk in order. Signers and verifiers use
/// the same chain: a verifier compares ``next(chunk:)`` with the `chunk-signature` it received.
///
/// SigV4 streaming: `AWS4-HMAC-SHA256-PAYLOAD \n date \n scope \n previous \n sha256("") \n sha256(chunk)`;
/// the trailer: `AWS4-HMAC-SHA256-TRAILER \n date \n scope \n previous \n sha256(trailer headers)`.
public struct ChunkSignatureChain: Sendable {
    let key: SigningKey
    let date: AmzDate
    let scope: [UInt8]
    /// The last signature of the chain (the seed signature before the first chunk).
    public private(set) var previousSignature: [UInt8]

    public init(key: SigningKey, date: AmzDate, scope: CredentialScope, seedSignature: String) {
        self.key = key
        self.date = date
        self.scope = Array(scope.string.utf8)
        self.previousSignature = Array(seedSignature.utf8)
    }

    /// Signs the next chunk (an empty chunk ends the body) and advances the chain.
    public mutating func next(chunk: some DataProtocol) -> String {
        next(chunkSHA256: SHA256.hash(data: chunk))
    }

    /// Signs the next chunk given its SHA-256, for callers that hash while streaming.
    public mutating func next(chunkSHA256: SHA256.Digest) -> String {
        var message = header(StringToSign.chunkAlgorithm)
        Hex.append(SHA256.hash(data: [UInt8]()), to: &message)
        message.append(0x0A)
        chunkSHA256.withUnsafeBytes { Hex.append(raw: $0, to: &message) }
        previousSignature = key.signatureBytes(of: message)
        return String(decoding: previousSignature, as: UTF8.self)
    }

    /// Signs the trailer, given its canonical form (`x-amz-checksum-crc32:AAAAAA==\n`), and advances the chain.
    public mutating func trailer(canonicalTrailer: some DataProtocol) -> String {
        var message = header(StringToSign.trailerAlgorithm)
        SHA256.hash(data: canonicalTrailer).withUnsafeBytes { Hex.append(raw: $0, to: &message) }
        previousSignature = key.signatureBytes(of: message)
        return String(decoding: previousSignature, as: UTF8.self)
    }

    /// Verifies a received `chunk-signature` against the next link of the chain, in constant time.
    public mutating func verifyNext(chunkSHA256: SHA256.Digest, signature: some StringProtocol) throws(SigV4Error) {
        let expected = next(chunkSHA256: chunkSHA256)
        guard ConstantTime.equals(expected.utf8, signature.utf8) else {
            throw SigV4Error(.signatureMismatch, "The chunk signature we calculated does not match the chunk-signature you provided.")
        }
    }

    /// Verifies a received `x-amz-trailer-signature` in constant time.
    public mutating func verifyTrailer(canonicalTrailer: some DataProtocol, signature: some StringProtocol) throws(SigV4Error) {
        let expected = trailer(canonicalTrailer: canonicalTrailer)
        guard ConstantTime.equals(expected.utf8, signature.utf8) else {
            throw SigV4Error(.signatureMismatch, "The trailer signature we calculated does not match the x-amz-trailer-signature you provided.")
        }
    }

    /// The wire header of a chunk: `hex(size);chunk-signature=<signature>\r\n`.
    public static func chunkHeader(size: Int, signature: String) -> String {
        "\(String(size, radix: 16));chunk-signature=\(signature)\r\n"
    }

    private func header(_ algorithm: [UInt8]) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(256)
        message.append(contentsOf: algorithm)
        message.append(0x0A)
        date.appendTimestamp(to: &message)
        message.append(0x0A)
        message.append(contentsOf: scope)
        message.append(0x0A)
        message.append(contentsOf: previousSignature)
        message.append(0x0A)
        return message
    }
}

extension Signer {
    /// Signs the headers of an aws-chunked upload and returns the chain that signs its chunks.
    ///
    /// `request` must carry `Content-Encoding: aws-chunked`, `x-amz-decoded-content-length` and the
    /// encoded `Content-Length`; `payload` is `.streamingSigned` or `.streamingSignedWithTrailer`.
    public func signStreaming(_ request: SignableRequest, payload: Payload = .streamingSigned, date: AmzDate? = nil) -> (
        SignedRequest, ChunkSignatureChain
    ) {
        let date = date ?? currentDate
        let signed = sign(request, payload: payload, date: date)
        let chain = ChunkSignatureChain(key: signingKey(at: date), date: date, scope: scope(at: date), seedSignature: signed.signature)
        return (signed, chain)
    }
}
