import DropgateAPI
import Foundation
import Testing

/// Issue 27, item 7: strict JSON. A key twice, or a key the request does not take, is named; a document without
/// either passes, whatever else it holds.
struct StrictJSONTests {
    static func problem(_ text: String, _ shape: StrictJSON.Shape = UploadRequest.shape) -> StrictJSON.Problem? {
        StrictJSON.problem(in: Array(text.utf8), shape: shape)
    }

    @Test(arguments: [
        (#"{"size":3,"size":99999999999}"#, "size"), (#"{"filename":"a","\u0073ize":1,"size":2}"#, "size"),
        (#"{"encryption":{"recordSize":1,"plaintextSize":2,"recordSize":3}}"#, "encryption.recordSize"),
        (#" { "size" : 1 , "filename":"x", "size" : 1 } "#, "size"),
    ])
    func aKeyTwiceIsNamed(text: String, path: String) {
        #expect(Self.problem(text) == .duplicateKey(path: path))
    }

    @Test func aKeyTwiceInAnArrayOfObjectsIsNamedWithItsPlace() {
        let text = #"{"parts":[{"partNumber":1,"etag":"a"},{"partNumber":2,"etag":"b","etag":"c"}]}"#
        #expect(Self.problem(text, CompletionRequest.shape) == .duplicateKey(path: "parts[1].etag"))
    }

    @Test(arguments: [(#"{"filename":"a","maxDownload":3}"#, "maxDownload"), (#"{"encryption":{"recordsize":1}}"#, "encryption.recordsize")])
    func anUnknownKeyIsNamed(text: String, path: String) {
        guard case .unknownKey(let named, let known)? = Self.problem(text) else {
            Issue.record("no unknown key found in \(text)")
            return
        }
        #expect(named == path && !known.isEmpty)
    }

    @Test(arguments: [
        #"{}"#, #"{"filename":"a b \"q\" \\ \u00e9 \ud83d\ude00","size":0,"contentType":"text/plain","maxDownloads":null}"#,
        #"{"encryption":{"plaintextSize":1e3,"recordSize":-0}, "mode" :"put"}"#, "\n{\"size\":\t1}\r\n",
    ])
    func aStrictDocumentPasses(text: String) {
        #expect(Self.problem(text) == nil)
    }

    @Test(arguments: [#"{"size":1"#, #"{"size" 1}"#, #"{"\x":1}"#, #"{"\ud800":1}"#, "[1,]x", "", #"{"s":1}}"#, #"{"a":"open"#])
    /// String values are only stepped over (their escapes are the decoder's to judge); keys are decoded.
    func malformedDocumentsAreLeftToTheDecoder(text: String) {
        #expect(Self.problem(text, .value) == .malformed)
    }

    @Test func anObjectOfManyKeysIsReadInLinearTime() {
        let keys = (0..<50_000).map { "\"k\($0)\":1" }.joined(separator: ",")
        #expect(StrictJSON.problem(in: Array("{\(keys)}".utf8), shape: .value) == nil)
        #expect(StrictJSON.problem(in: Array("{\(keys),\"k49999\":2}".utf8), shape: .value) == .duplicateKey(path: "k49999"))
    }

    @Test func depthIsBounded() {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(StrictJSON.problem(in: Array(deep.utf8), shape: .value) == .malformed)
        let fine = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        #expect(StrictJSON.problem(in: Array(fine.utf8), shape: .value) == nil)
    }

    /// Every shape is exactly what its type encodes when every field is set: a field added to a type and not to its
    /// shape fails here.
    @Test func theShapesAreTheTypes() throws {
        func keys(_ value: some Encodable) throws -> Set<String> {
            Set((try JSONSerialization.jsonObject(with: Data(try APIJSON.encode(value))) as? [String: Any] ?? [:]).keys)
        }
        func shapeKeys(_ shape: StrictJSON.Shape) -> Set<String> {
            if case .object(let fields) = shape { return Set(fields.known) }
            return []
        }
        let upload = UploadRequest(
            filename: "a", size: 1, contentType: "t", sha256: "s", expiresIn: 1, maxDownloads: 1, mode: .put,
            encryption: EncryptionDeclaration(plaintextSize: 1, recordSize: 1))
        #expect(try keys(upload) == shapeKeys(UploadRequest.shape))
        #expect(try keys(EncryptionDeclaration(plaintextSize: 1, recordSize: 1)) == shapeKeys(EncryptionDeclaration.shape))
        let share = ShareRequest(
            files: ["r"], expiresIn: 1, maxDownloads: 1, password: "p", encrypted: true,
            keyWrap: WrappedKey(salt: "s", iterations: 1, nonce: "n", wrapped: "w"), link: "l", wordLink: true, burnAfterReading: true,
            folders: [""], cardImage: true)
        #expect(try keys(share) == shapeKeys(ShareRequest.shape))
        #expect(try keys(ThumbnailRequest(size: 1, contentType: "image/webp")) == shapeKeys(ThumbnailRequest.shape))
        #expect(try keys(CompletionRequest(parts: [CompletedPart(partNumber: 1, etag: "e")], collection: true)) == shapeKeys(CompletionRequest.shape))
        #expect(try keys(PartsRequest(parts: [1])) == shapeKeys(PartsRequest.shape))
    }

    /// Random documents JSONSerialization writes (so, no key twice) always pass a shape that looks into nothing.
    @Test func whateverFoundationWritesPasses() throws {
        var generator = SystemRandomNumberGenerator()
        func value(_ depth: Int) -> Any {
            switch Int.random(in: 0..<(depth > 4 ? 4 : 6), using: &generator) {
            case 0: return Int.random(in: -1_000_000...1_000_000, using: &generator)
            case 1: return String((0..<Int.random(in: 0..<8, using: &generator)).map { _ in "a\"\\é😀\n\u{1}".randomElement()! })
            case 2: return Bool.random(using: &generator)
            case 3: return NSNull()
            case 4: return (0..<Int.random(in: 0..<4, using: &generator)).map { _ in value(depth + 1) }
            default:
                var object: [String: Any] = [:]
                for index in 0..<Int.random(in: 0..<5, using: &generator) { object["k\(index)\"é"] = value(depth + 1) }
                return object
            }
        }
        for _ in 0..<500 {
            let document = try JSONSerialization.data(withJSONObject: ["root": value(0)])
            #expect(StrictJSON.problem(in: Array(document), shape: .value) == nil, "\(String(decoding: document, as: UTF8.self))")
        }
    }
}
