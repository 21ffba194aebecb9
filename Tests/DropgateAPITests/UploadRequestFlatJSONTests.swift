import DropgateAPI
import Foundation
import Testing

/// The flat reader of `POST /api/uploads` bodies reads exactly what `JSONDecoder` reads, or declines and leaves the
/// body (and its error) to `JSONDecoder`.
struct UploadRequestFlatJSONTests {
    static let bodies = [
        #"{"filename":"panda.jpeg","size":12345,"contentType":"image/jpeg"}"#,
        #" { "filename" : "a b.txt" , "size" : 0 , "contentType" : "text/plain", "sha256": "q80=", "expiresIn": 3600, "maxDownloads": 3, "mode": "post" } "#,
        "{\"filename\":\"日本 🐼.txt\",\"size\":-0}", #"{}"#, #"{"size":999999999999999}"#, "{\n\t\"mode\":\"put\"\r\n}",
    ]

    /// Bodies it must decline: JSONDecoder decides (some it reads, some it refuses).
    static let declined = [
        #"{"filename":"a\"b"}"#, #"{"filename":"a\u0041"}"#, #"{"size":12.5}"#, #"{"size":1e3}"#, #"{"size":01}"#, #"{"size":9999999999999999}"#,
        #"{"size":null}"#, #"{"size":true}"#, #"{"size":"12"}"#, #"{"mode":"get"}"#, #"{"other":1}"#, #"{"size":1,"size":2}"#,
        #"{"encryption":{"plaintextSize":1,"recordSize":65536}}"#, #"{"size":1,}"#, #"{"size":1}x"#, #"[1]"#, #""#, #"{"size":-}"#,
        "{\"filename\":\"tab\there\"}", #"{"filename":"x"#,
    ]

    @Test(arguments: bodies)
    func aFlatBodyReadsAsJSONDecoderReadsIt(body: String) throws {
        let flat = try #require(UploadRequest.parseFlat(Array(body.utf8)))
        #expect(flat == (try APIJSON.decode(UploadRequest.self, from: Array(body.utf8))))
    }

    @Test(arguments: declined)
    func anythingElseIsLeftToJSONDecoder(body: String) {
        #expect(UploadRequest.parseFlat(Array(body.utf8)) == nil)
    }

    @Test func mutatedBodiesNeverReadDifferently() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]":,.-+eE0123456789 \ntruefalsn"#.utf8) + [0x00, 0xC3, 0xA9, 0xFF]
        var read = 0
        for round in 0..<20_000 {
            var bytes = Array(Self.bodies[round % Self.bodies.count].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = alphabet.randomElement(using: &generator)!
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet.randomElement(using: &generator)!, at: index)
                }
            }
            guard let flat = UploadRequest.parseFlat(bytes) else { continue }
            read += 1
            let decoded = try? APIJSON.decode(UploadRequest.self, from: bytes)
            #expect(decoded == flat, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(read > 1_000)  // the mutations do reach the reader's accepting paths
    }
}
