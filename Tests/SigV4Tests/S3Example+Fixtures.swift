import Foundation
import SigV4

/// `Tests/Fixtures/s3-presign-examples.json`: the S3 documentation's worked examples.
enum S3Examples {
    static var document: [String: Any] {
        (try? JSONSerialization.jsonObject(with: TestData.data("s3-presign-examples.json")) as? [String: Any]) ?? [:]
    }

    /// The entries of one section, each wrapped so it can be a test argument.
    static func entries(_ section: String) -> [Entry] {
        ((document[section] as? [[String: Any]]) ?? []).map(Entry.init)
    }

    struct Entry: @unchecked Sendable, CustomStringConvertible {
        var raw: [String: Any]
        var description: String { raw["name"] as? String ?? "?" }
        var input: [String: Any] { raw["input"] as? [String: Any] ?? [:] }
        var expected: [String: Any] { raw["expected"] as? [String: Any] ?? [:] }
        func input(_ key: String) -> String { input[key] as? String ?? "" }
        func expected(_ key: String) -> String { expected[key] as? String ?? "" }

        var credentials: Credentials {
            Credentials(accessKeyID: input("access_key_id"), secretAccessKey: input("secret_access_key"))
        }

        var date: AmzDate { AmzDate(timestamp: input("x_amz_date"))! }

        var signer: Signer {
            Signer(credentials: credentials, region: input("region"), service: input("service"), options: .s3)
        }
    }
}
