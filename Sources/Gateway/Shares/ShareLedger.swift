import DropgateAPI
import Foundation
import HTTPWire
import S3Client

/// What happens to a share after it is made, kept as objects that are only ever created (`If-None-Match: *`), never
/// rewritten: the one condition every supported store honours. A share record itself is written once, so nothing a
/// download, a retry or a second gateway does can undo a revocation or lose a count.
///
/// - `.dropgate/revoked/<id>`: the share was revoked. Checked on every read; created before the revocation answers.
/// - `.dropgate/tombstones/<id>`: the sweeper deleted the share's objects; the record goes after the retention.
/// - `.dropgate/downloads/<id>/<file>/n/<slot>`: download slot `slot` (1…maxDownloads) of a limited share's file,
///   claimed by the one request that created it, so at most `maxDownloads` are ever served, however many race.
///   Slots are named by `UInt64.max - slot` in 20 digits, so a listing's first key is the highest claimed.
/// - `.dropgate/downloads/<id>/<file>/u/<random>`: one download of an unlimited share's file, under a key no other
///   download uses, so counting never contends.
struct ShareLedger: Sendable {
    let client: S3Client
    let now: @Sendable () -> Date

    static let revokedPrefix = ".dropgate/revoked/"
    static let tombstonePrefix = ".dropgate/tombstones/"
    static let downloadsPrefix = ".dropgate/downloads/"
    /// How many pages of an unlimited share's downloads are counted for one answer (1,000 keys each); past that the
    /// count is a lower bound.
    static let countedPages = 10

    /// The body of every marker: when the gateway wrote it.
    struct Mark: Codable, Sendable {
        var at: Int64
    }

    static func revokedKey(_ id: String) -> String { revokedPrefix + id }
    static func tombstoneKey(_ id: String) -> String { tombstonePrefix + id }
    static func downloadsKey(_ id: String) -> String { downloadsPrefix + id + "/" }

    static func fileKey(_ id: String, file: Int) -> String {
        let digits = String(file)
        return downloadsKey(id) + String(repeating: "0", count: max(0, 4 - digits.utf8.count)) + digits + "/"
    }

    static func slotKey(_ id: String, file: Int, slot: Int) -> String {
        let inverted = String(UInt64.max - UInt64(slot))
        return fileKey(id, file: file) + "n/" + String(repeating: "0", count: 20 - inverted.utf8.count) + inverted
    }

    /// Creates `key` with a mark of now; false when it existed already.
    @discardableResult
    func create(_ key: String) throws -> Bool {
        try client.create(key: key, body: Array(try APIJSON.encoder.encode(Mark(at: Int64(now().timeIntervalSince1970)))))
    }

    /// When the marker at `key` was written, or nil when there is none (a marker no gateway wrote counts as now).
    func mark(_ key: String) throws -> Int64? {
        do {
            let bytes = try client.getObject(key: key).bytes
            return (try? APIJSON.decoder.decode(Mark.self, from: Data(bytes)))?.at ?? Int64(now().timeIntervalSince1970)
        } catch let error as S3ClientError where error.status == 404 {
            return nil
        }
    }

    func exists(_ key: String) throws -> Bool { try client.headObject(key: key) != nil }

    // MARK: Revocation and tombstones

    /// Revokes the share for good; harmless when done twice.
    func revoke(_ id: String) throws { try create(Self.revokedKey(id)) }

    func isRevoked(_ id: String) throws -> Bool { try exists(Self.revokedKey(id)) }

    func markTombstone(_ id: String) throws { try create(Self.tombstoneKey(id)) }

    func isTombstone(_ id: String) throws -> Bool { try exists(Self.tombstoneKey(id)) }

    // MARK: Downloads

    /// The highest slot claimed of a limited share's file, 0 when none.
    func highestSlot(_ id: String, file: Int) throws -> Int {
        let prefix = Self.fileKey(id, file: file) + "n/"
        guard let key = try client.listObjects(prefix: prefix, maxKeys: 1).objects.first?.key else { return 0 }
        return Self.slot(of: key, prefix: prefix) ?? 0
    }

    /// Claims the next download slot of a limited file: the slot claimed (1…`limit`), or nil when every slot up to the
    /// limit is taken. `counted` downloads made before slots existed (an older record's count) take the first slots.
    /// Contenders each try the next free slot and move on when another created it first, so of any number of requests
    /// on any number of gateways exactly `limit - counted` succeed.
    func claim(_ id: String, file: Int, limit: Int, counted: Int) throws -> Int? {
        guard counted < limit else { return nil }
        var next = max(try highestSlot(id, file: file), counted)
        var misses = 0
        while next < limit {
            next += 1
            if try create(Self.slotKey(id, file: file, slot: next)) { return next }
            misses += 1
            // Many contenders: jump to what the listing says is claimed, instead of trying every slot in turn.
            if misses % 8 == 0 { next = max(next, try highestSlot(id, file: file)) }
        }
        return nil
    }

    /// Counts one download of an unlimited share's file, under a key of its own.
    func countUnlimited(_ id: String, file: Int) throws {
        try create(Self.fileKey(id, file: file) + "u/" + Base64URL.random(bytes: 16))
    }

    /// Each file's downloads as recorded here: its highest slot (limited downloads) plus the count of its unlimited
    /// keys (a lower bound past ``countedPages`` pages). `files` is how many files the share has.
    func downloads(_ id: String, files: Int) throws -> [Int] {
        let (slots, unlimited) = try tally(id, files: files)
        return zip(slots, unlimited).map { $0 &+ $1 }
    }

    /// Each file's downloads counted while its share was unlimited.
    func unlimitedDownloads(_ id: String, files: Int) throws -> [Int] { try tally(id, files: files).unlimited }

    /// Each file's highest slot, and its count of unlimited keys.
    private func tally(_ id: String, files: Int) throws -> (slots: [Int], unlimited: [Int]) {
        var slots = [Int](repeating: 0, count: files)
        var counts = [Int](repeating: 0, count: files)
        let prefix = Self.downloadsKey(id)
        var after: String?
        for _ in 0..<Self.countedPages {
            let page = try client.listObjects(prefix: prefix, maxKeys: 1000, startAfter: after)
            for object in page.objects {
                guard let (file, kind, slot) = Self.parse(object.key, prefix: prefix), file < files else { continue }
                if kind == "n" { slots[file] = max(slots[file], slot) } else { counts[file] &+= 1 }
            }
            guard page.nextContinuationToken != nil, let last = page.objects.last?.key else { break }
            // The first slot key of a file is its highest: skip the rest of that file's slots.
            if let (file, kind, _) = Self.parse(last, prefix: prefix), kind == "n" {
                after = Self.fileKey(id, file: file) + "n/~"
            } else {
                after = last
            }
        }
        return (slots, counts)
    }

    /// Deletes every download key of a share; false when `deadline` came first.
    func deleteDownloads(_ id: String, until deadline: ContinuousClock.Instant) throws -> Bool {
        while true {
            guard ContinuousClock.now < deadline else { return false }
            let page = try client.listObjects(prefix: Self.downloadsKey(id), maxKeys: 1000)
            for object in page.objects { try client.deleteObject(key: object.key) }
            if page.nextContinuationToken == nil { return true }
        }
    }

    /// (file, "n" or "u", slot) of a download key; the slot is 0 for "u".
    static func parse(_ key: String, prefix: String) -> (Int, Substring, Int)? {
        guard key.hasPrefix(prefix) else { return nil }
        let parts = key.dropFirst(prefix.utf8.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 4, let file = Int(parts[0]) else { return nil }
        switch parts[1] {
        case "n": return slot(of: String(parts[2])).map { (file, parts[1], $0) }
        case "u": return (file, parts[1], 0)
        default: return nil
        }
    }

    static func slot(of key: String, prefix: String) -> Int? {
        guard key.hasPrefix(prefix) else { return nil }
        return slot(of: String(key.dropFirst(prefix.utf8.count)))
    }

    /// The slot a 20-digit inverted name stands for, clamped to `Int.max`.
    static func slot(of name: String) -> Int? {
        guard name.utf8.count == 20, name.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let inverted = UInt64(name) else { return nil }
        return Int(clamping: UInt64.max - inverted)
    }
}
