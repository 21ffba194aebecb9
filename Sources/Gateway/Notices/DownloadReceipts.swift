import Foundation
import S3Client
import Synchronization

/// What the embedded store says it served for a share's presigned GET (a download log entry's receipt): the byte
/// ranges that went whole, joined until they cover the file, when the entry is marked completed (create-only, at
/// `.dropgate/logs/<share>/<entry>.done`). A range cut short counts for nothing; only the store in this process
/// reports, so on an external store an entry stays "link followed".
final class DownloadReceipts: Sendable {
    let client: S3Client
    /// Receipt → covered ranges (start, end exclusive), sorted and merged; bounded.
    private let coverage = Mutex<[String: [(Int64, Int64)]]>([:])
    static let tracked = 10_000

    init(client: S3Client) { self.client = client }

    /// `<share>.<entry>` as the gateway signs it into a presigned GET.
    static func receipt(share: String, entry: String) -> String { "\(share).\(entry)" }

    func served(receipt: String, offset: Int64, count: Int64, size: Int64, complete: Bool) {
        guard complete, count >= 0, offset >= 0, let dot = receipt.firstIndex(of: ".") else { return }
        let share = String(receipt[..<dot])
        let entry = String(receipt[receipt.index(after: dot)...])
        guard ShareStore.isValidID(share), entry.utf8.count <= 40,
            entry.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return }
        let whole = coverage.withLock { table -> Bool in
            if table.count >= Self.tracked, table[receipt] == nil { table.removeAll() }
            var ranges = (table[receipt] ?? []) + [(offset, offset + count)]
            ranges.sort { $0.0 < $1.0 }
            var merged: [(Int64, Int64)] = []
            for range in ranges {
                if let last = merged.last, range.0 <= last.1 { merged[merged.count - 1].1 = max(last.1, range.1) } else { merged.append(range) }
            }
            let covers = merged.first.map { $0.0 <= 0 && $0.1 >= size } ?? (size == 0)
            table[receipt] = covers ? nil : merged
            return covers
        }
        guard whole else { return }
        _ = try? client.create(key: DownloadLog.completionKey(share, entry: entry), body: Array("{\"bytes\":\(size)}".utf8))
    }
}
