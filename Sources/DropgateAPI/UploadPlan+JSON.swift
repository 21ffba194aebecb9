import Foundation

extension UploadPlan {
    /// The plan as ``APIJSON`` writes it, without `JSONEncoder` for the single-request plans `POST /api/uploads`
    /// answers on the event loop (a multipart plan, answered on a worker, goes through `JSONEncoder`).
    public func jsonBytes() throws -> [UInt8] {
        guard multipart == nil else { return try APIJSON.encode(self) }
        var json = APIJSONWriter(capacity: 2_048)
        json.beginObject()
        json.field("curl", curl)
        json.timeField("expiresAt", secondsSince1970: Int64(expiresAt.timeIntervalSince1970.rounded(.down)))
        json.field("expiryClamped", expiryClamped)
        json.field("fields", fields)
        json.field("headers", headers)
        json.field("id", id)
        json.field("key", key)
        json.field("method", method)
        json.key("transfer")
        json.beginObject()
        json.field("parallelParts", Int64(transfer.parallelParts))
        json.field("partAttempts", Int64(transfer.partAttempts))
        json.endObject()
        json.field("url", url)
        json.endObject()
        return json.bytes
    }
}
