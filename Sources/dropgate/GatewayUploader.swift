import Foundation
import S3Client
import S3Common

#if canImport(Glibc)
    import Glibc
#endif

/// One file through the gateway's API: declare, upload to the presigned URL(s), complete.
struct GatewayUploader: Sendable {
    let base: String
    let token: String?
    let client: WebClient
    let parallel: Int
    let progress: ProgressBar
    /// Files up to this size are hashed (SHA-256) so the gateway can verify them.
    static let hashLimit: Int64 = 64 * 1024 * 1024
    static let partAttempts = 3

    /// Uploads `path`; returns the share link.
    func upload(path: String, contentType: String, expiresIn: Int?) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIError("cannot open it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        let size = Int64(info.st_size)
        let name = (path as NSString).lastPathComponent
        var declaration: [String: Any] = ["filename": name, "size": size, "contentType": contentType]
        if let expiresIn { declaration["expiresIn"] = expiresIn }
        if size <= Self.hashLimit { declaration["sha256"] = try Self.sha256(fd: fd) }
        let plan = try api("/api/uploads", declaration)
        guard let id = plan["id"] as? String else { throw CLIError("the gateway's answer has no upload id") }
        progress.start(name: name, total: size)
        var completion: [String: Any] = [:]
        if let multipart = plan["multipart"] as? [String: Any] {
            completion["parts"] = try uploadParts(fd: fd, size: size, multipart: multipart)
        } else {
            guard let url = plan["url"] as? String else { throw CLIError("the gateway's answer has no upload URL") }
            let headers = ((plan["headers"] as? [String: String]) ?? [:]).filter { $0.key.lowercased() != "content-length" }.map {
                ($0.key, $0.value)
            }
            let response = try client.upload(url: url, headers: headers, file: fd, offset: 0, length: size) { sent in
                progress.update(part: 0, sent: sent)
            }
            guard (200..<300).contains(response.status) else { throw CLIError(Self.storeError(response)) }
        }
        progress.finish()
        let done = try api("/api/uploads/\(id)/complete", completion)
        guard let share = done["share"] as? [String: Any], let url = share["url"] as? String else {
            throw CLIError("the gateway's answer has no share link")
        }
        return url
    }

    /// Uploads every part, `parallel` at a time, retrying each up to three times; returns them in order.
    func uploadParts(fd: Int32, size: Int64, multipart: [String: Any]) throws -> [[String: Any]] {
        guard let partSize = (multipart["partSize"] as? NSNumber)?.int64Value, let parts = multipart["parts"] as? [[String: Any]] else {
            throw CLIError("the gateway's multipart plan is malformed")
        }
        let results = PartResults(count: parts.count)
        let queue = DispatchQueue(label: "dropgate.parts", attributes: .concurrent)
        let slots = DispatchSemaphore(value: parallel)
        let group = DispatchGroup()
        for (index, part) in parts.enumerated() {
            guard let number = (part["partNumber"] as? NSNumber)?.intValue, let url = part["url"] as? String else {
                throw CLIError("the gateway's multipart plan is malformed")
            }
            slots.wait()
            if results.failed {
                slots.signal()
                break
            }
            group.enter()
            queue.async {
                defer {
                    slots.signal()
                    group.leave()
                }
                let offset = Int64(number - 1) * partSize
                let length = min(partSize, size - offset)
                var lastError = "no attempt"
                for _ in 1...Self.partAttempts {
                    do {
                        let response = try client.upload(url: url, headers: [], file: fd, offset: offset, length: length) { sent in
                            progress.update(part: index, sent: sent)
                        }
                        if (200..<300).contains(response.status), let etag = response.header("etag") {
                            results.set(index, ["partNumber": number, "etag": ASCIIText.unquoted(etag)])
                            return
                        }
                        lastError = Self.storeError(response)
                    } catch {
                        lastError = "\(error)"
                    }
                    progress.update(part: index, sent: 0)
                }
                results.fail("part \(number) failed \(Self.partAttempts) times: \(lastError)")
            }
        }
        group.wait()
        if let failure = results.failure { throw CLIError(failure) }
        return results.values
    }

    /// POSTs JSON to the gateway and returns the answer, or throws its error message.
    func api(_ path: String, _ body: [String: Any]) throws -> [String: Any] {
        var headers = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let data = try JSONSerialization.data(withJSONObject: body)
        let response = try client.request(method: "POST", url: base + path, headers: headers, body: Array(data))
        let answer = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        guard (200..<300).contains(response.status) else {
            let error = answer["error"] as? [String: Any]
            throw CLIError((error?["message"] as? String) ?? "the gateway answered \(response.status)")
        }
        return answer
    }

    static func sha256(fd: Int32) throws -> String {
        var digest = StreamingDigest(algorithms: [.sha256])
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if count < 0 { throw CLIError("reading it failed: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            offset += Int64(count)
        }
        return digest.base64(.sha256) ?? ""
    }

    static func storeError(_ response: WebClient.Response) -> String {
        let text = String(decoding: response.body, as: UTF8.self)
        let code = text.range(of: "<Code>").flatMap { start in
            text[start.upperBound...].range(of: "</Code>").map { String(text[start.upperBound..<$0.lowerBound]) }
        }
        return "the store answered \(response.status)\(code.map { " \($0)" } ?? "")"
    }
}

/// The parts' results, filled in from several threads.
final class PartResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [[String: Any]?]
    private var firstFailure: String?

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: [String: Any]) { lock.withLock { storage[index] = value } }
    func fail(_ message: String) { lock.withLock { if firstFailure == nil { firstFailure = message } } }
    var failed: Bool { lock.withLock { firstFailure != nil } }
    var failure: String? { lock.withLock { firstFailure } }
    var values: [[String: Any]] { lock.withLock { storage.compactMap { $0 } } }
}
