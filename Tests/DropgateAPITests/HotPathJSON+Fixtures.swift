import DropgateAPI
import Foundation

/// What the hot path's hand-written JSON is held equal to Foundation's on.
enum HotPathJSONFixtures {
    static let awkward = "a\"b\\c/d\u{01}\u{08}\u{0C}\n\r\t\u{1F}\u{7F} é 🐼 \u{2028}"

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
