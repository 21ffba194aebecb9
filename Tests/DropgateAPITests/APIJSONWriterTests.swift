import DropgateAPI
import Foundation
import Testing

/// The hand-written JSON of the hot path is byte for byte what ``APIJSON`` (JSONEncoder) writes.
struct APIJSONWriterTests {
    static let awkward = "a\"b\\c/d\u{01}\u{08}\u{0C}\n\r\t\u{1F}\u{7F} é 🐼"

    static let plans: [UploadPlan] = [
        UploadPlan(
            id: "eyJ.abc", key: "uploads/2026/12/x/panda.jpeg", expiresAt: Date(timeIntervalSince1970: 1_796_204_400.7), method: "PUT",
            url: "http://127.0.0.1:5002/dropgate/uploads/x?X-Amz-Signature=ab",
            headers: [
                "Content-Type": "image/jpeg", "Content-Length": "12345", "If-None-Match": "*", "Cache-Control": "no-store",
                "x-amz-checksum-sha256": "q80=",
            ],
            curl: "curl --fail-with-body -sS -T 'panda.jpeg' && curl 'x'", transfer: TransferPolicy()),
        UploadPlan(
            id: "id", key: "uploads/k", expiresAt: Date(timeIntervalSince1970: 0), expiryClamped: "The upload URLs expire early.", method: "POST",
            url: "http://h/b/",
            fields: [
                "key": "uploads/k", "Policy": "eyJ", "X-Amz-Signature": "00", "success_action_status": "201", "Content-Type": "a/b",
                "x-amz-checksum-sha256": "c2hh", "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            ],
            transfer: TransferPolicy(parallelParts: 1, partAttempts: 10)),
        UploadPlan(
            id: awkward, key: awkward, expiresAt: Date(timeIntervalSince1970: 253_402_300_799), headers: [awkward: awkward],
            transfer: TransferPolicy()),
        UploadPlan(id: "", key: "", expiresAt: Date(timeIntervalSince1970: -1), headers: [:], fields: [:], transfer: TransferPolicy()),
    ]

    @Test(arguments: plans)
    func aPlanIsWrittenAsJSONEncoderWritesIt(plan: UploadPlan) throws {
        let written = try plan.jsonBytes()
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: try APIJSON.encode(plan), as: UTF8.self))
        #expect(try APIJSON.decode(UploadPlan.self, from: written) == plan.withWholeSeconds)
    }

    @Test func aMultipartPlanGoesThroughJSONEncoder() throws {
        var plan = Self.plans[0]
        plan.multipart = MultipartPlan(uploadId: "u", partSize: 5 << 20, parts: [PartURL(partNumber: 1, url: "http://h/1")])
        #expect(try plan.jsonBytes() == APIJSON.encode(plan))
    }

    @Test func nestedObjectsTakeTheirCommas() {
        var json = APIJSONWriter()
        json.beginObject()
        json.field("a", ["y": "2", "x": "1"])
        json.key("b")
        json.beginObject()
        json.field("c", 3 as Int64)
        json.field("d", nil as String?)
        json.endObject()
        json.field("e", "f")
        json.endObject()
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"{"a":{"x":"1","y":"2"},"b":{"c":3},"e":"f"}"#)
    }

    @Test(arguments: ["\"", "\\", "\u{0}", "\u{1F}", "\n", " ", "!", "#", "[", "]", "\u{7F}", "é", "🐼"])
    func aCharacterIsWrittenAsJSONEncoderWritesItWhereverItFalls(special: String) throws {
        // Lengths around the eight-byte steps of the scan, the character at every position.
        for length in 0...20 {
            for position in 0...length {
                var text = String(repeating: "a", count: length)
                text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                var writer = APIJSONWriter()
                writer.string(text)
                #expect(writer.bytes == (try APIJSON.encode(text)), "\(special.unicodeScalars.map(\.value)) at \(position) of \(length)")
            }
        }
    }
}

extension UploadPlan {
    /// The plan as it reads back: times are written at whole seconds.
    var withWholeSeconds: UploadPlan {
        var plan = self
        plan.expiresAt = Date(timeIntervalSince1970: expiresAt.timeIntervalSince1970.rounded(.down))
        return plan
    }
}
