import DropgateAPI
import Foundation

/// What the compact coders are held equal to Foundation's on.
enum CompactJSONFixtures {
    static let awkward = "a\"b\\c/d\u{01}\u{08}\u{0C}\n\r\t\u{1F}\u{7F} é 🐼 \u{2028}"

    /// A value of every shape the API's types use, and a few they do not (yet): floating point, nested arrays,
    /// dictionaries keyed by numbers, nulls.
    struct Shapes: Codable, Equatable {
        var text: String
        var flag: Bool
        var small: Int8
        var big: UInt64
        var negative: Int64
        var fraction: Double
        var whole: Double
        var tiny: Double
        var single: Float
        var nothing: String?
        var explicitNull: Int?
        var list: [[Int]]
        var byNumber: [Int: String]
        var byName: [String: [String: Bool]]
        var when: Date
        var nested: [Shapes]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(flag, forKey: .flag)
            try container.encode(small, forKey: .small)
            try container.encode(big, forKey: .big)
            try container.encode(negative, forKey: .negative)
            try container.encode(fraction, forKey: .fraction)
            try container.encode(whole, forKey: .whole)
            try container.encode(tiny, forKey: .tiny)
            try container.encode(single, forKey: .single)
            try container.encodeIfPresent(nothing, forKey: .nothing)
            try container.encodeNil(forKey: .explicitNull)
            try container.encode(list, forKey: .list)
            try container.encode(byNumber, forKey: .byNumber)
            try container.encode(byName, forKey: .byName)
            try container.encode(when, forKey: .when)
            try container.encode(nested, forKey: .nested)
        }
    }

    static let shapes = Shapes(
        text: awkward, flag: true, small: -8, big: UInt64.max, negative: Int64.min, fraction: 0.1, whole: 3, tiny: 1e-300, single: 1.5,
        nothing: nil, explicitNull: nil, list: [[], [1, 2], [3]], byNumber: [10: "ten", 2: "two"], byName: ["B": ["x": false], "a": [:]],
        when: Date(timeIntervalSince1970: 1_796_204_400.9),
        nested: [
            Shapes(
                text: "", flag: false, small: 0, big: 0, negative: 0, fraction: -2.5e10, whole: -0.0, tiny: 123_456_789.125, single: 0, nothing: "x",
                explicitNull: nil, list: [], byNumber: [:], byName: [:], when: Date(timeIntervalSince1970: 0), nested: [])
        ])

    static let plans: [UploadPlan] = [
        UploadPlan(
            id: "eyJ.abc", key: "uploads/2026/12/x/panda.jpeg", expiresAt: Date(timeIntervalSince1970: 1_796_204_400.7),
            send: .put(
                url: "http://127.0.0.1:5002/dropgate/uploads/x?X-Amz-Signature=ab",
                headers: ["Content-Type": "image/jpeg", "Content-Length": "12345", "If-None-Match": "*", "x-amz-checksum-sha256": "q80="]),
            transfer: TransferPolicy()),
        UploadPlan(
            id: "id", key: "uploads/k", expiresAt: Date(timeIntervalSince1970: 0), expiryClamped: "The upload URLs expire early.",
            send: .post(url: "http://h/b/", fields: ["key": "uploads/k", "Policy": "eyJ", "X-Amz-Signature": "00", awkward: awkward]),
            transfer: TransferPolicy(parallelParts: 1, partAttempts: 10)),
        UploadPlan(
            id: awkward, key: awkward, expiresAt: Date(timeIntervalSince1970: 253_402_300_799),
            send: .multipart(
                MultipartPlan(
                    uploadId: "u", partSize: 5 << 20, parts: [PartURL(partNumber: 1, url: "http://h/1"), PartURL(partNumber: 2, url: "/2")],
                    resumableUntil: Date(timeIntervalSince1970: 1_796_204_400))),
            transfer: TransferPolicy()),
    ]

    /// Request bodies: the usual ones, and every way of getting one wrong that the tests know of.
    static let bodies: [String] = [
        #"{"filename":"panda.jpeg","size":12345,"contentType":"image/jpeg"}"#,
        #" { "filename" : "a\"b\\c\/d\u00e9\ud83d\udc3c" , "size" : 0 , "sha256" : "q80=" , "mode" : "post" } "#,
        #"{"filename":"x","size":1.0}"#, #"{"filename":"x","size":1e2}"#, #"{"filename":"x","size":12.5}"#, #"{"size":-0}"#,
        #"{"size":1e400}"#, #"{"size":"10"}"#, #"{"size":true}"#, #"{"size":null}"#, #"{"filename":null}"#, #"{"filename":5}"#,
        #"{"mode":"ftp"}"#, #"{"mode":null}"#, #"{"encryption":{"plaintextSize":10,"recordSize":65536}}"#,
        #"{"encryption":{"plaintextSize":10}}"#, #"{"encryption":[]}"#, #"{"encryption":null}"#, #"{"expiresIn":9007199254740993}"#,
        #"{"maxDownloads":-1}"#, #"{"filename":"a","filename":"b"}"#, #"{"unknown":[1,{"a":[]}]}"#, #"[]"#, #"null"#, #"3"#, #""x""#, "",
        " ", "{", "{}", "{}}", #"{"a":1,}"#, #"[1,]"#, #"{"a" 1}"#, #"{'a':1}"#, #"{"size":01}"#, #"{"size":-}"#, #"{"size":1.}"#,
        #"{"size":.5}"#, #"{"size":1e}"#, #"{"size":+1}"#, #"{"filename":"\x"}"#, #"{"filename":"\u12"}"#, #"{"filename":"\ud800"}"#,
        #"{"filename":"\udc00\ud800"}"#, "{\"filename\":\"tab\there\"}", "{\"filename\":\"\u{01}\"}", #"{"size":NaN}"#, #"{"size":Infinity}"#,
        "\u{FEFF}{}", #"{"a":tru}"#, #"{"a":nul}"#, #"{"a":true false}"#, String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
    ]
}
