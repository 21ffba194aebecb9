import DropgateAPI
import Foundation
import HTTPWire
import Testing

/// The hand-written JSON of `POST /api/uploads` (HTTPWire's `JSONObjectWriter` and `FlatJSONObject`) against its
/// general twin, ``APIJSON`` (Foundation's coders): the same bytes written, the same values read, and every body the
/// fast reader does not take left to the general one.
struct HotPathJSONTests {
    @Test(arguments: HotPathJSONFixtures.plans)
    func aPlanIsWrittenAsJSONEncoderWritesIt(plan: UploadPlan) throws {
        let written = try plan.jsonBytes()
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: try APIJSON.encode(plan), as: UTF8.self))
        #expect(try APIJSON.decode(UploadPlan.self, from: written).id == plan.id)
    }

    @Test func nestedObjectsTakeTheirCommas() {
        var json = JSONObjectWriter()
        json.beginObject()
        json.field("a", "1")
        json.key("b")
        json.beginObject()
        json.field("c", 2 as Int64)
        json.field("d", nil as String?)
        json.key("e")
        json.beginObject()
        json.endObject()
        json.endObject()
        json.field("f", ["y": "2", "x": HotPathJSONFixtures.awkward])
        json.endObject()
        let expected = try? APIJSON.encode(
            Nested(a: "1", b: .init(c: 2, e: .init()), f: ["y": "2", "x": HotPathJSONFixtures.awkward]))
        #expect(json.bytes == expected)
    }

    struct Nested: Encodable {
        struct Inner: Encodable {
            struct Empty: Encodable {}
            var c: Int64
            var d: String? = nil
            var e: Empty
        }
        var a: String
        var b: Inner
        var f: [String: String]
    }

    @Test(arguments: HotPathJSONFixtures.bodies)
    func aBodyTheFastReaderTakesItReadsAsJSONDecoderDoes(body: String) {
        Self.expectAgreement(Array(body.utf8))
    }

    /// Every body made from the usual ones by dropping, doubling or replacing one byte.
    @Test func mutatedBodiesAreReadAsJSONDecoderReadsThem() {
        let interesting: [UInt8] = Array(#"{}[],:"\0195e.-+ntf"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xFF]
        var taken = 0
        for seed in HotPathJSONFixtures.bodies.prefix(2) {
            let bytes = Array(seed.utf8)
            for index in bytes.indices {
                var variants: [[UInt8]] = []
                var dropped = bytes
                dropped.remove(at: index)
                variants.append(dropped)
                var doubled = bytes
                doubled.insert(bytes[index], at: index)
                variants.append(doubled)
                for byte in interesting {
                    var replaced = bytes
                    replaced[index] = byte
                    variants.append(replaced)
                }
                for variant in variants where Self.expectAgreement(variant) { taken += 1 }
            }
        }
        #expect(taken > 100)  // the fast reader took many of them: the comparison is not vacuous
    }

    @Test func theUsualBodyIsTakenByTheFastReader() {
        let flat = UploadRequest(flat: Array(HotPathJSONFixtures.bodies[0].utf8))
        #expect(flat == UploadRequest(filename: "panda.jpeg", size: 12_345, contentType: "image/jpeg"))
        #expect(FlatJSONObject(Array(#"{"a":"x","a":"y"}"#.utf8)) == nil)  // a repeated name goes to the general reader
    }

    @Test func anObjectOfManyMembersIsLeftToTheGeneralReader() {
        let members = { (count: Int) in "{" + (0..<count).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + "}" }
        #expect(FlatJSONObject(Array(members(FlatJSONObject.maximumMembers).utf8))?.members.count == FlatJSONObject.maximumMembers)
        #expect(FlatJSONObject(Array(members(FlatJSONObject.maximumMembers + 1).utf8)) == nil)
    }

    /// Whether the fast reader took `bytes`; when it did, ``APIJSON`` must read the same value.
    @discardableResult
    static func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let fast = UploadRequest(flat: bytes) else { return false }
        let general = try? APIJSON.decode(UploadRequest.self, from: bytes)
        #expect(fast == general, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        return true
    }
}
