import CurlHTTP
import Foundation
import Glibc
import S3Common
import SigV4

extension S3Client {
    /// Streams a file to `key` (one PUT, `UNSIGNED-PAYLOAD`), reporting `(bytes sent, total)`; returns the ETag.
    @discardableResult
    public func putObject(
        key: String, fromFile path: String, contentType: String = "application/octet-stream", progress: ((Int64, Int64) -> Void)? = nil
    )
        throws -> String
    {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw NetworkError(endpoint: configuration.endpoint.url, reason: "cannot open \(path)", curlCode: -1) }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        let length = Int64(info.st_size)
        let response = try send(
            Request(
                method: "PUT", key: key, headers: [.init("Content-Type", contentType), .init("Content-Length", String(length))],
                body: .file(fd: fd, offset: 0, length: length), payload: .unsigned, progress: progress, isLongTransfer: true))
        return ASCIIText.unquoted(response.header("etag") ?? "")
    }

    /// Streams `key` into a file, reporting `(bytes received, total)`.
    public func getObject(key: String, toFile path: String, progress: ((Int64, Int64) -> Void)? = nil) throws -> ObjectInfo {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw NetworkError(endpoint: configuration.endpoint.url, reason: "cannot create \(path)", curlCode: -1) }
        defer { close(fd) }
        do {
            let response = try send(Request(method: "GET", key: key, sink: .file(fd: fd), progress: progress, isLongTransfer: true))
            return ObjectInfo(key: key, headers: response.headers)
        } catch {
            unlink(path)
            throw error
        }
    }
}

extension S3Client {
    /// Runs a blocking client call on a dispatch thread, never on the cooperative pool.
    public func run<T: Sendable>(_ body: @escaping @Sendable (S3Client) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body(self) })
            }
        }
    }
}
