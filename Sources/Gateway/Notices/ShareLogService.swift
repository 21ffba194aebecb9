import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

/// `GET /api/shares/{id}/log`: a share's download log for its owner (signed in, a personal token with `shares`) or
/// the holder of its delete token, as JSON or (`?format=csv`) CSV.
struct ShareLogService: Sendable {
    let sharing: ShareService
    let accounts: AccountService

    func log(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        guard let record = try sharing.shares.load(id, counting: false) else {
            throw GatewayError(404, .unknownShare, "There is no share \(id, as: "id").")
        }
        if !(Gateway.bearer(request).map { DeleteToken.verify($0, shareID: record.id, secret: sharing.secret) } ?? false) {
            let owner = try accounts.shareOwner(request, changing: false)
            guard let expected = record.owner, ConstantTime.equals(Array(expected.utf8), Array(owner.utf8)) else {
                throw GatewayError(403, .unauthorized, "Only the share's owner, or the holder of its delete token, can read its log.")
            }
        }
        sharing.downloadLog.flush()  // this gateway's entries written so far are in the answer
        let counted = Array(record.files.dropFirst(record.firstCounted))
        let entries = try sharing.downloadLog.entries(share: record.id).map { _, entry, completed in
            ShareLog.Entry(
                at: Date(timeIntervalSince1970: TimeInterval(entry.at) / 1_000), file: entry.file,
                fileName: record.encrypted == true || !(1...counted.count).contains(entry.file) ? nil : counted[entry.file - 1].filename,
                agent: entry.agent, visitor: entry.visitor, receipt: entry.receipt,
                completed: entry.receipt == "store_link" ? completed : nil)
        }
        let byDay = Dictionary(grouping: entries) { DownloadLog.day($0.at) }
        let days = byDay.keys.sorted().map { day in
            ShareLog.Day(day: day, downloads: byDay[day]?.count ?? 0, visitors: Set(byDay[day]?.map(\.visitor) ?? []).count)
        }
        let log = ShareLog(share: record.id, days: days, entries: entries)
        guard request.queryValue("format") == "csv" else {
            var response = HTTPResponse.json(log, status: 200)
            response.headers.set("Cache-Control", "no-store")
            return response
        }
        var lines = ["time,file,file_name,agent,visitor,receipt,completed"]
        let formatter = ISO8601DateFormatter()
        for entry in entries {
            let cells = [
                formatter.string(from: entry.at), String(entry.file), entry.fileName ?? "", entry.agent, entry.visitor, entry.receipt,
                entry.completed.map { $0 ? "yes" : "no" } ?? "",
            ]
            lines.append(cells.map(Self.csvCell).joined(separator: ","))
        }
        var response = HTTPResponse(status: 200, contentType: "text/csv; charset=utf-8", body: lines.joined(separator: "\r\n") + "\r\n")
        response.headers.set("Content-Disposition", "attachment; filename=\"share-\(record.id)-log.csv\"")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// A CSV cell: quoted when it must be, and never read as a formula by a spreadsheet (a leading =, +, - or @).
    static func csvCell(_ text: String) -> String {
        var cell = text
        if let first = cell.first, "=+-@\t\r".contains(first) { cell = "'" + cell }
        guard cell.contains(where: { ",\"\r\n".contains($0) }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
