import HTTPWire

extension UploadRequest {
    /// The usual body, a flat object of known fields, read without `JSONDecoder` (HTTPWire's `FlatJSONObject`):
    /// `JSONDecoder` was 9% of `POST /api/uploads`. Any other body (an unknown or repeated field, a value of the wrong
    /// type, an escape, `encryption`) gives nil, and the caller decodes it with ``APIJSON``, which then gives the
    /// answer or the error it always gave. The tests hold the two equal on mutated bodies.
    public init?(flat bytes: [UInt8]) {
        guard let object = FlatJSONObject(bytes) else { return nil }
        self.init()
        for (name, value) in object.members {
            switch (name, value) {
            case ("filename", .string(let text)): filename = text
            case ("contentType", .string(let text)): contentType = text
            case ("sha256", .string(let text)): sha256 = text
            case ("mode", .string(let text)):
                guard let mode = UploadMode(rawValue: text) else { return nil }
                self.mode = mode
            case ("size", .wholeNumber(let number)): size = number
            case ("expiresIn", .wholeNumber(let number)): expiresIn = number
            case ("maxDownloads", .wholeNumber(let number)): maxDownloads = number
            default: return nil
            }
        }
    }
}
