import Foundation
import SigV4
import Testing

/// The POST policy document is read and written through `Codable`: every condition S3 documents reads back as it was
/// written, and a malformed document is refused with `InvalidPolicyDocument` naming what is wrong.
struct PostPolicyTests {
    static let policy = PostPolicy(
        expiration: AmzDate(timestamp: "20261205T120000Z")!,
        conditions: [.equals("bucket", "uploads"), .startsWith("key", "user/1/"), .contentLengthRange(1, 10_000_000), .equals("acl", "a\"b/c")])

    @Test func aPolicyIsWrittenAsS3DocumentsItAndReadsBack() throws {
        #expect(
            Self.policy.json
                == #"{"conditions":[{"bucket":"uploads"},["starts-with","$key","user/1/"],["content-length-range",1,10000000],"#
                + #"{"acl":"a\"b/c"}],"expiration":"2026-12-05T12:00:00.000Z"}"#)
        #expect(try PostPolicy(base64: Self.policy.base64) == Self.policy)
    }

    @Test func theLongFormsOfAConditionReadAsTheShortOnes() throws {
        let json = #"{"expiration":"2026-12-05T12:00:00.000Z","conditions":[["EQ","$bucket","b"],{"$key":"k"},["starts-with","$Content-Type",""]]}"#
        let read = try PostPolicy(base64: Data(json.utf8).base64EncodedString())
        #expect(read.conditions == [.equals("bucket", "b"), .equals("key", "k"), .startsWith("Content-Type", "")])
    }

    @Test(arguments: [
        (#"{"conditions":[]}"#, "'expiration' is missing"),
        (#"{"expiration":"tomorrow","conditions":[]}"#, "'expiration'"),
        (#"{"expiration":"2026-12-05T12:00:00.000Z"}"#, "'conditions' is missing"),
        (#"{"expiration":"2026-12-05T12:00:00.000Z","conditions":[["content-length-range",10,1]]}"#, "low <= high"),
        (#"{"expiration":"2026-12-05T12:00:00.000Z","conditions":[["content-length-range","1","10"]]}"#, "of the wrong type"),
        (#"{"expiration":"2026-12-05T12:00:00.000Z","conditions":[["matches","$key","k"]]}"#, "unknown condition"),
        (#"{"expiration":"2026-12-05T12:00:00.000Z","conditions":[["eq","key","k"]]}"#, "$field"),
        (#"{"expiration":"2026-12-05T12:00:00.000Z","conditions":[{"a":"1","b":"2"}]}"#, "one field"),
        (#"{"expiration":"2026-12-05T12:00:00.000Z","conditions":[{"a":1}]}"#, "of the wrong type"),
        (#"not json"#, "not JSON"),
    ])
    func aMalformedPolicyIsRefusedNamingTheProblem(json: String, named: String) {
        let error = #expect(throws: SigV4Error.self) { try PostPolicy(base64: Data(json.utf8).base64EncodedString()) }
        #expect(error?.reason == .invalidPolicy)
        #expect(error?.message.contains(named) == true, "\(error?.message ?? "")")
    }

    @Test func aPolicyThatIsNotBase64IsRefused() {
        let error = #expect(throws: SigV4Error.self) { try PostPolicy(base64: "%%%") }
        #expect(error?.reason == .invalidPolicy)
    }
}
