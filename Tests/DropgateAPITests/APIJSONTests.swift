import DropgateAPI
import Foundation
import Testing

/// The API's wire format: one encoder and decoder, ISO 8601 dates, whole numbers named when wrong.
struct APIJSONTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"), (1_796_204_400, "2026-12-02T09:40:00Z"),
        (-1, "1969-12-31T23:59:59Z"), (253_402_300_799, "9999-12-31T23:59:59Z"),
    ])
    func timesAreWrittenAsISO8601(seconds: Int64, text: String) throws {
        #expect(APITime.iso8601(secondsSince1970: seconds) == text)
        let parsed = try Date(text, strategy: .iso8601)
        #expect(Int64(parsed.timeIntervalSince1970) == seconds)
    }

    /// From 1600 on: before the Gregorian reform Foundation counts Julian days, while ISO 8601 (and gmtime) extend the
    /// Gregorian calendar back.
    @Test func timesMatchFoundationsISO8601FromYear1600ToYear9999() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let seconds = Int64(state % 265_078_396_800) - 11_676_096_000  // 1600-01-01 through 9999-12-31
            let expected = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
            #expect(APITime.iso8601(secondsSince1970: seconds) == expected, "\(seconds)")
        }
    }

    @Test func aPlanRoundTripsWithSortedKeysAndUnescapedSlashes() throws {
        let plan = UploadPlan(
            id: "id", key: "uploads/a b.png", expiresAt: Date(timeIntervalSince1970: 1_796_204_400),
            send: .put(url: "http://h/x?y=1", headers: ["Content-Type": "image/png"]), transfer: TransferPolicy())
        let text = String(decoding: try APIJSON.encode(plan), as: UTF8.self)
        #expect(text.contains(#""expiresAt":"2026-12-02T09:40:00Z""#))
        #expect(text.contains(#""url":"http://h/x?y=1""#))
        #expect(text.hasPrefix(#"{"expiresAt""#))
        #expect(try APIJSON.decode(UploadPlan.self, from: Array(text.utf8)) == plan)
    }

    /// A plan is one of three shapes in code, and on the wire the flat fields clients have always read.
    @Test func eachWayToSendKeepsItsWireFields() throws {
        let time = #""expiresAt":"2026-12-02T09:40:00Z""#
        let base = #"\#(time),"id":"i","key":"k""#
        let transfer = #""transfer":{"parallelParts":4,"partAttempts":3}"#
        let cases: [(UploadPlan.Send, String)] = [
            (.put(url: "u", headers: ["A": "b"]), #"{\#(time),"headers":{"A":"b"},"id":"i","key":"k","method":"PUT",\#(transfer),"url":"u"}"#),
            (.post(url: "u", fields: ["f": "v"]), #"{\#(time),"fields":{"f":"v"},"id":"i","key":"k","method":"POST",\#(transfer),"url":"u"}"#),
            (
                .multipart(MultipartPlan(uploadId: "m", partSize: 5, parts: [PartURL(partNumber: 1, url: "p")])),
                #"{\#(base),"multipart":{"partSize":5,"parts":[{"partNumber":1,"url":"p"}],"uploadId":"m"},\#(transfer)}"#
            ),
        ]
        for (send, wire) in cases {
            let plan = UploadPlan(id: "i", key: "k", expiresAt: Date(timeIntervalSince1970: 1_796_204_400), send: send, transfer: TransferPolicy())
            let written = String(decoding: try APIJSON.encode(plan), as: UTF8.self)
            #expect(written == wire, "\(written)")
            #expect(try APIJSON.decode(UploadPlan.self, from: Array(wire.utf8)) == plan)
        }
        let unknown = #"{\#(base),"method":"PATCH",\#(transfer),"url":"u"}"#
        #expect(throws: DecodingError.self) { try APIJSON.decode(UploadPlan.self, from: Array(unknown.utf8)) }
    }

    @Test(arguments: [#"{"size":12.5}"#, #"{"size":true}"#, #"{"size":"10"}"#, #"{"size":1e300}"#])
    func aNumberThatIsNotWholeNamesItsField(body: String) {
        #expect {
            _ = try APIJSON.decode(UploadRequest.self, from: Array(body.utf8))
        } throws: { error in
            switch error as? DecodingError {
            case .dataCorrupted(let context), .typeMismatch(_, let context): context.codingPath.map(\.stringValue) == ["size"]
            default: false
            }
        }
    }

    @Test func anUnknownModeNamesItsField() {
        #expect {
            _ = try APIJSON.decode(UploadRequest.self, from: Array(#"{"mode":"ftp"}"#.utf8))
        } throws: { error in
            guard case .dataCorrupted(let context) = error as? DecodingError else { return false }
            return context.codingPath.map(\.stringValue) == ["mode"]
        }
    }
}

/// The README documents the API from its types.
struct APIReferenceTests {
    @Test func theReadmeAPITableIsTheReference() throws {
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(APIReference.markdown))
    }
}
