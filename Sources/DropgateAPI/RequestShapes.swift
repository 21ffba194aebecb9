/// The keys each request body may have, for ``StrictJSON``; `StrictJSONTests` checks each against what its type
/// encodes, so a field added to a type and not here is a failing test, not a refused request.
extension UploadRequest {
    public static let shape = StrictJSON.Shape.object([
        "filename": .value, "size": .value, "contentType": .value, "sha256": .value, "expiresIn": .value, "maxDownloads": .value,
        "mode": .value, "encryption": EncryptionDeclaration.shape,
    ])
}

extension EncryptionDeclaration {
    public static let shape = StrictJSON.Shape.object(["plaintextSize": .value, "recordSize": .value])
}

extension ShareRequest {
    public static let shape = StrictJSON.Shape.object([
        "files": .array(of: .value), "expiresIn": .value, "maxDownloads": .value, "password": .value, "encrypted": .value,
        "link": .value, "wordLink": .value, "burnAfterReading": .value, "folders": .array(of: .value), "cardImage": .value,
        "keyWrap": .object(["salt": .value, "iterations": .value, "nonce": .value, "wrapped": .value]),
    ])
}

extension CompletionRequest {
    public static let shape = StrictJSON.Shape.object([
        "parts": .array(of: .object(["partNumber": .value, "etag": .value])), "collection": .value,
    ])
}

extension PartsRequest {
    public static let shape = StrictJSON.Shape.object(["parts": .array(of: .value)])
}
