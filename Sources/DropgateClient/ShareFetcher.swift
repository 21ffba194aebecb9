import Crypto
import CurlHTTP
import DropgateAPI
import EndToEnd
import Foundation
import Glibc
import HTTPWire
import SigV4
import Synchronization

/// A share's files through the gateway: its facts, its unlock cookie, and each file streamed (and decrypted) to disk.
public struct ShareFetcher {
    let base: String
    let id: String
    let client: WebClient

    /// The fetcher of share `id` on the gateway at `base` (without a trailing slash).
    public init(base: String, id: String, client: WebClient) {
        self.base = base
        self.id = id
        self.client = client
    }

    public func unlockInfo() throws -> UnlockInfo {
        let response = try client.request(method: "GET", url: "\(base)/api/shares/\(id)/unlock")
        guard response.status == 200, let info = try? APIJSON.decode(UnlockInfo.self, from: response.body) else { throw refusal(response) }
        return info
    }

    /// `POST /s/{id}/unlock`: the unlock cookie (`dg_unlock=…`) the right password gives.
    public func unlock(_ password: String) throws -> String {
        let form = "password=" + PercentEncoding.encode(password)
        let response = try client.request(
            method: "POST", url: "\(base)/s/\(id)/unlock", headers: [.init("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(form.utf8))
        switch response.status {
        case 303:
            guard let header = response.header("set-cookie"), let pair = header.split(separator: ";").first else {
                throw ClientError("the gateway unlocked the share but set no cookie")
            }
            return String(pair)
        case 429: throw ClientError("Too many password attempts; wait a minute, then try again.")
        default: throw ClientError("That password does not open this share.")
        }
    }

    public func facts(cookie: String?) throws -> ShareFacts {
        let response = try client.request(method: "GET", url: "\(base)/api/shares/\(id)", headers: headers(cookie))
        guard response.status == 200, let facts = try? APIJSON.decode(ShareFacts.self, from: response.body) else { throw refusal(response) }
        return facts
    }

    /// The decrypted manifest (file 1 of an encrypted share), at most ``Manifest/maximumBytes``.
    public func manifest(key: SymmetricKey, cookie: String?) throws -> [UInt8] {
        var response = try client.request(method: "GET", url: "\(base)/s/\(id)/1/raw?download=1", headers: headers(cookie))
        if response.status == 302, let location = response.header("location") { response = try client.request(method: "GET", url: location) }
        guard response.status == 200, response.body.count <= Manifest.maximumBytes * 2 else { throw refusal(response) }
        return try SealedFile.open(response.body, key: key)
    }

    /// Streams file `number` into `target` (a temporary file renamed into place when whole), decrypting with `key`.
    public func download(_ number: Int, to target: String, key: SymmetricKey?, expectedSize: Int64, cookie: String?) throws {
        let response = try FileDownload.save(to: target, key: key, expectedSize: expectedSize) { take in
            let response = try client.stream(url: "\(base)/s/\(id)/\(number)/raw?download=1", headers: headers(cookie), consumer: take)
            guard response.status == 302, let location = response.header("location") else { return response }
            return try client.stream(url: location, consumer: take)
        }
        guard (200..<300).contains(response.status) else { throw refusal(response) }
    }

    func headers(_ cookie: String?) -> HTTPHeaders { cookie.map { [.init("Cookie", $0)] } ?? [] }

    func refusal(_ response: WebClient.Response) -> ClientError {
        let message = (try? APIJSON.decode(APIErrorBody.self, from: response.body))?.error.message
        return ClientError(message ?? "the gateway answered \(response.status)")
    }
}
