import CCurl
import Foundation
import Glibc
import HTTPWire

/// One HTTP exchange through libcurl: request body from memory or a file, response body to memory
/// (bounded) or a file, headers collected, progress reported.
final class CurlTransfer {
    let requestBody: HTTPCall.Body
    let sink: HTTPCall.Sink
    let progress: ((Int64, Int64) -> Void)?
    private var readOffset = 0
    private(set) var body: [UInt8] = []
    private(set) var headers = HTTPHeaders()
    private(set) var failure: String?
    /// The status line's code of the response being received.
    private var lastStatus = 0

    init(requestBody: HTTPCall.Body, sink: HTTPCall.Sink, progress: ((Int64, Int64) -> Void)?) {
        self.requestBody = requestBody
        self.sink = sink
        self.progress = progress
    }

    /// Runs the transfer on `handle` (already given its URL, method and headers).
    func perform(_ handle: UnsafeMutableRawPointer, endpoint: String) throws -> HTTPCallResponse {
        let context = Unmanaged.passUnretained(self).toOpaque()
        dg_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWrite)
        dg_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        dg_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlHeader)
        dg_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        switch requestBody {
        case .none:
            break
        case .bytes(let bytes):
            dg_setopt_long(handle, CURLOPT_UPLOAD, 1)
            dg_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(bytes.count))
            dg_setopt_data_callback(handle, CURLOPT_READFUNCTION, curlRead)
            dg_setopt_pointer(handle, CURLOPT_READDATA, context)
        case .file(_, _, let length):
            dg_setopt_long(handle, CURLOPT_UPLOAD, 1)
            dg_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(length))
            dg_setopt_data_callback(handle, CURLOPT_READFUNCTION, curlRead)
            dg_setopt_pointer(handle, CURLOPT_READDATA, context)
        }
        if progress != nil {
            dg_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
            dg_setopt_progress_callback(handle, curlProgress)
            dg_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
        }
        let code = curl_easy_perform(handle)
        if let failure { throw NetworkError(endpoint: endpoint, reason: failure, curlCode: -1) }
        guard code == CURLE_OK else {
            throw NetworkError(endpoint: endpoint, reason: String(cString: curl_easy_strerror(code)), curlCode: Int(code.rawValue))
        }
        return HTTPCallResponse(status: dg_response_code(handle), headers: headers, body: body)
    }

    func write(_ data: UnsafeRawBufferPointer) -> Int {
        switch sink {
        case .memory(let limit):
            guard body.count + data.count <= limit else {
                failure = "the response body is larger than \(limit) bytes"
                return 0
            }
            body.append(contentsOf: data)
        case .stream(let consumer):
            guard (200..<300).contains(lastStatus) else {
                guard body.count + data.count <= 64 * 1024 else { return 0 }
                body.append(contentsOf: data)
                return data.count
            }
            guard consumer(data) else {
                failure = "the receiver of the download stopped"
                return 0
            }
        case .file(let fd):
            var written = 0
            while written < data.count {
                let count = Glibc.write(fd, data.baseAddress! + written, data.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    failure = "writing the download failed: \(String(cString: strerror(errno)))"
                    return 0
                }
                written += count
            }
        }
        return data.count
    }

    func read(into target: UnsafeMutableRawBufferPointer) -> Int {
        switch requestBody {
        case .none:
            return 0
        case .bytes(let bytes):
            let count = min(target.count, bytes.count - readOffset)
            bytes.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[readOffset..<(readOffset + count)])) }
            readOffset += count
            return count
        case .file(let fd, let offset, let length):
            let wanted = Int(min(Int64(target.count), length - Int64(readOffset)))
            guard wanted > 0 else { return 0 }
            while true {
                let count = pread(fd, target.baseAddress, wanted, off_t(offset) + off_t(readOffset))
                if count < 0 && errno == EINTR { continue }
                if count < 0 {
                    failure = "reading the upload failed: \(String(cString: strerror(errno)))"
                    return Int(CURL_READFUNC_ABORT)
                }
                readOffset += count
                return count
            }
        }
    }

    func header(_ line: UnsafeRawBufferPointer) {
        let text = ASCIIText.trimmed(String(decoding: line, as: UTF8.self))
        if text.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
            // `HTTP/1.1 200 OK`: the status of the response whose body follows (after any 100 Continue).
            let parts = text.split(separator: " ", maxSplits: 2)
            lastStatus = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        headers.add(String(text[..<colon]), ASCIIText.trimmed(text[text.index(after: colon)...]))
    }
}

private func curlWrite(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.write(UnsafeRawBufferPointer(start: buffer, count: size * count))
}

private func curlRead(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
}

private func curlHeader(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.header(UnsafeRawBufferPointer(start: buffer, count: size * count))
    return size * count
}

private func curlProgress(
    _ context: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t, _ downloaded: curl_off_t, _ uploadTotal: curl_off_t, _ uploaded: curl_off_t
)
    -> Int32
{
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    if uploadTotal > 0 {
        transfer.progress?(Int64(uploaded), Int64(uploadTotal))
    } else {
        transfer.progress?(Int64(downloaded), Int64(downloadTotal))
    }
    return 0
}
