import Crypto
import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import S3Client
import Synchronization

/// Each share's downloads, kept for `shares.logRetention` at `.dropgate/logs/<share>/<entry>.json`: when, which file,
/// a coarse user-agent family, what the gateway knows of the transfer, and a visitor mark. The mark is an HMAC of the
/// client's address under a random key of the day (`.dropgate/logs/keys/<day>`, made create-only by the first gateway
/// that needs it and deleted by the sweeper once the day is over), so distinct visitors of a day can be counted while
/// no address is stored, and none can be recovered once the day's key is gone.
final class DownloadLog: Sendable {
    struct Entry: Codable, Sendable, Equatable {
        /// Milliseconds since 1970.
        var at: Int64
        /// The share's file, from 1.
        var file: Int
        var agent: String
        var visitor: String
        /// `link_followed`, `transfer_started`, or (the embedded store's) `store_link`: completion is then recorded.
        var receipt: String
    }

    static let root = ".dropgate/logs/"
    static let keysPrefix = root + "keys/"

    let client: S3Client
    let now: @Sendable () -> Date
    /// Told of each entry that was not written.
    let onDropped: @Sendable () -> Void
    private let dayKey = Mutex<(day: String, key: SymmetricKey)?>(nil)
    /// Entries are written here, off the download's path (the redirect never waits for its log line), two at a time.
    private let writer = DispatchQueue(label: "dropgate-download-log", attributes: .concurrent)
    private let writers = DispatchSemaphore(value: 2)
    /// Entries waiting to be written; past ``pendingLimit`` new ones are dropped (and counted), never queued without bound.
    private let pending = Mutex(0)
    static let pendingLimit = 10_000

    init(client: S3Client, now: @escaping @Sendable () -> Date, onDropped: @escaping @Sendable () -> Void = {}) {
        self.client = client
        self.now = now
        self.onDropped = onDropped
    }

    static func prefix(_ share: String) -> String { root + share + "/" }
    static func completionKey(_ share: String, entry: String) -> String { prefix(share) + entry + ".done" }

    /// Records a download; the entry's id (time-ordered), at once. The entry is written on a queue of its own, so a
    /// download never waits for its log line, and a log that cannot be written never stops a download. A crash can
    /// lose the last entries of the log; never a count (those are the ledger's, written before the answer).
    @discardableResult
    func record(share: String, file: Int, client address: String, userAgent: String?, receipt: String) -> String? {
        let time = now()
        let milliseconds = Int64(time.timeIntervalSince1970 * 1_000)
        let id = String(format: "%013lld", milliseconds) + "-" + Base64URL.random(bytes: 6)
        let agent = Self.family(userAgent)
        guard
            pending.withLock({ count -> Bool in
                guard count < Self.pendingLimit else { return false }
                count += 1
                return true
            })
        else {
            onDropped()
            return nil
        }
        writer.async { [self] in
            writers.wait()
            defer {
                writers.signal()
                pending.withLock { $0 -= 1 }
            }
            do {
                let entry = Entry(at: milliseconds, file: file, agent: agent, visitor: try mark(address, at: time), receipt: receipt)
                _ = try client.create(key: Self.prefix(share) + id + ".json", body: try APIJSON.encode(entry))
            } catch {
                onDropped()
            }
        }
        return id
    }

    /// Waits until every entry recorded so far is written (tests, and shutdown).
    func flush() { writer.sync(flags: .barrier) {} }

    /// The visitor mark of an address on the day of `time`: 8 bytes of HMAC-SHA256 under the day's key.
    func mark(_ address: String, at time: Date) throws -> String {
        let day = Self.day(time)
        let key = try dayKey.withLock { cached -> SymmetricKey in
            if let cached, cached.day == day { return cached.key }
            let key = try loadOrMakeKey(day)
            cached = (day, key)
            return key
        }
        return Base64URL.encode(Array(HMAC<SHA256>.authenticationCode(for: Array(address.utf8), using: key).prefix(8)))
    }

    /// `2026-12-05`: the UTC day of `time`.
    static func day(_ time: Date) -> String {
        let (year, month, day) = CivilTime.civilFromDays(CivilTime.floorDiv(Int64(time.timeIntervalSince1970), 86_400))
        return String(format: "%04lld-%02lld-%02lld", year, month, day)
    }

    func loadOrMakeKey(_ day: String) throws -> SymmetricKey {
        let key = Self.keysPrefix + day
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        if try client.create(key: key, body: fresh, contentType: "application/octet-stream") { return SymmetricKey(data: fresh) }
        return SymmetricKey(data: try client.getObject(key: key).bytes)
    }

    /// A coarse family of a user agent: a browser's name, a command-line client, a bot, or other.
    static func family(_ agent: String?) -> String {
        guard let agent = agent?.lowercased(), !agent.isEmpty else { return "none" }
        for (needle, family) in [
            ("bot", "bot"), ("crawler", "bot"), ("spider", "bot"), ("preview", "bot"), ("curl/", "curl"), ("wget/", "wget"),
            ("dropgate", "dropgate"), ("python", "script"), ("go-http", "script"), ("edg/", "Edge"), ("firefox/", "Firefox"),
            ("chrome/", "Chrome"), ("chromium/", "Chrome"), ("safari/", "Safari"),
        ] where agent.contains(needle) {
            return family
        }
        return "other"
    }

    /// The share's log, oldest first (the last `limit`), with which entries the store saw complete.
    func entries(share: String, limit: Int = 1_000) throws -> [(id: String, entry: Entry, completed: Bool)] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try client.listObjects(prefix: Self.prefix(share), maxKeys: 1_000, continuationToken: token)
            keys += page.objects.map(\.key)
            token = page.nextContinuationToken
        } while token != nil && keys.count < 20_000
        let done = Set(keys.filter { $0.hasSuffix(".done") }.map { String($0.dropLast(".done".count)) })
        let listed = keys.filter { $0.hasSuffix(".json") }.suffix(limit)
        return listed.compactMap { key in
            let base = String(key.dropLast(".json".count))
            guard let entry = try? APIJSON.decode(Entry.self, from: try client.getObject(key: key).bytes) else { return nil }
            return (String(base.dropFirst(Self.prefix(share).count)), entry, done.contains(base))
        }
    }
}
