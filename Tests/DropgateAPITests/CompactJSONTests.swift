import DropgateAPI
import Foundation
import Testing

/// HTTPWire's compact JSON coders, which the API uses, against their general twins, Foundation's `JSONEncoder` and
/// `JSONDecoder` set the same way: the same bytes written, the same values read, the same errors at the same paths.
struct CompactJSONTests {
    @Test func everyShapeIsWrittenAsFoundationWritesIt() throws {
        try Self.expectSameBytes(CompactJSONFixtures.shapes)
    }

    @Test(arguments: CompactJSONFixtures.plans)
    func aPlanIsWrittenAsFoundationWritesIt(plan: UploadPlan) throws {
        try Self.expectSameBytes(plan)
    }

    @Test func theAPIsOtherAnswersAreWrittenAsFoundationWritesThem() throws {
        let awkward = CompactJSONFixtures.awkward
        try Self.expectSameBytes(
            APIErrorBody(error: APIError(code: "upload_mismatch", message: awkward, mismatches: [Mismatch(code: "size", message: "")])))
        try Self.expectSameBytes(
            UploadRequest(filename: awkward, size: 1 << 50, encryption: EncryptionDeclaration(plaintextSize: 1, recordSize: 65_536)))
        try Self.expectSameBytes(
            Completion(
                share: ShareLink(id: "id", url: "http://h/s/id"), files: [SharedFileLink(filename: awkward, size: 3, contentType: "a/b", url: "/1")],
                viewUrl: "v", downloadUrl: "d", deleteToken: "t", expiresAt: Date(timeIntervalSince1970: -1)))
        try Self.expectSameBytes(StoredParts(parts: [StoredPart(partNumber: 1, etag: "\"abc\"", size: 5)]))
        try Self.expectSameBytes([String]())
        try Self.expectSameBytes(["a": [Int]()])
    }

    @Test(arguments: CompactJSONFixtures.bodies)
    func aBodyIsReadAsFoundationReadsIt(body: String) {
        Self.expectSameOutcome(Array(body.utf8))
    }

    /// Every body made from the usual ones by dropping, doubling or replacing one byte.
    @Test func mutatedBodiesAreReadAsFoundationReadsThem() {
        let interesting: [UInt8] = Array(#"{}[],:"\0195e.-+ntf"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xFF]
        for seed in CompactJSONFixtures.bodies.prefix(2) {
            let bytes = Array(seed.utf8)
            for index in bytes.indices {
                var dropped = bytes
                dropped.remove(at: index)
                Self.expectSameOutcome(dropped)
                var doubled = bytes
                doubled.insert(bytes[index], at: index)
                Self.expectSameOutcome(doubled)
                for byte in interesting {
                    var replaced = bytes
                    replaced[index] = byte
                    Self.expectSameOutcome(replaced)
                }
            }
        }
    }

    @Test func whatIsWrittenReadsBackTheSameThroughBoth() throws {
        let bytes = try APIJSON.encode(CompactJSONFixtures.shapes)
        let compact = try APIJSON.decode(CompactJSONFixtures.Shapes.self, from: bytes)
        let foundation = try APIJSON.foundationDecoder.decode(CompactJSONFixtures.Shapes.self, from: Data(bytes))
        #expect(compact == foundation)
        for plan in CompactJSONFixtures.plans {
            let written = try APIJSON.encode(plan)
            #expect(try APIJSON.decode(UploadPlan.self, from: written) == APIJSON.foundationDecoder.decode(UploadPlan.self, from: Data(written)))
        }
    }

    // MARK: - Helpers

    static func expectSameBytes<Value: Encodable>(_ value: Value, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let compact = String(decoding: try APIJSON.encode(value), as: UTF8.self)
        let foundation = String(decoding: try APIJSON.foundationEncoder.encode(value), as: UTF8.self)
        #expect(compact == foundation, sourceLocation: sourceLocation)
    }

    /// What decoding gives: the value, or the kind of error and where.
    enum Outcome: Equatable {
        case value(UploadRequest)
        case failure(String)

        init(_ decode: () throws -> UploadRequest) {
            do {
                self = .value(try decode())
            } catch let error as DecodingError {
                self = .failure(Self.describe(error))
            } catch {
                self = .failure("\(type(of: error))")
            }
        }

        static func describe(_ error: DecodingError) -> String {
            let path = { (context: DecodingError.Context) in context.codingPath.map(\.stringValue).joined(separator: ".") }
            return switch error {
            case .typeMismatch(_, let context): "typeMismatch at \(path(context))"
            case .valueNotFound(_, let context): "valueNotFound at \(path(context))"
            case .keyNotFound(let key, let context): "keyNotFound \(key.stringValue) at \(path(context))"
            case .dataCorrupted(let context): "dataCorrupted at \(path(context))"
            @unknown default: "unknown"
            }
        }
    }

    static func expectSameOutcome(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let compact = Outcome { try APIJSON.decode(UploadRequest.self, from: bytes) }
        let foundation = Outcome { try APIJSON.foundationDecoder.decode(UploadRequest.self, from: Data(bytes)) }
        #expect(compact == foundation, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
    }
}
