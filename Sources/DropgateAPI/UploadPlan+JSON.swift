import HTTPWire

extension UploadPlan {
    /// The plan as ``APIJSON`` writes it. A single PUT or a form is written by hand (HTTPWire's `JSONObjectWriter`):
    /// `JSONEncoder` was 7% of `POST /api/uploads`, which answers one on the event loop for every declaration. A
    /// multipart plan, made on a worker after a store round trip, goes through ``APIJSON``.
    public func jsonBytes() throws -> [UInt8] {
        let fields: (method: String, url: String, headers: [String: String]?, fields: [String: String]?)
        switch send {
        case .put(let url, let headers): fields = ("PUT", url, headers, nil)
        case .post(let url, let form): fields = ("POST", url, nil, form)
        case .multipart: return try APIJSON.encode(self)
        }
        var json = JSONObjectWriter(capacity: 2_048)
        json.beginObject()
        json.field("expiresAt", APITime.iso8601(secondsSince1970: Int64(expiresAt.timeIntervalSince1970.rounded(.down))))
        json.field("expiryClamped", expiryClamped)
        json.field("fields", fields.fields)
        json.field("headers", fields.headers)
        json.field("id", id)
        json.field("key", key)
        json.field("method", fields.method)
        json.key("transfer")
        json.beginObject()
        json.field("parallelParts", Int64(transfer.parallelParts))
        json.field("partAttempts", Int64(transfer.partAttempts))
        json.endObject()
        json.field("url", fields.url)
        json.endObject()
        return json.bytes
    }
}
