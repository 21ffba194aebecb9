import Foundation
import HTTPWire
import Testing

@testable import Gateway

/// Tokens, keys and validation rules of the gateway.
struct GatewayUnitTests {
    static let token = UploadToken(
        key: "uploads/2026/11/AAAAAAAAAAAAAAAAAAAAAA/a.png", filename: "a.png", size: 10, contentType: "image/png", sha256: nil, shareExpiresIn: 3600,
        maxDownloads: nil,
        uploadID: nil, expiresAt: 2_000_000_000)

    @Test func uploadTokensRoundTripAndResistTampering() throws {
        let encoded = Self.token.encoded(secret: "s")
        #expect(UploadToken.decode(encoded, secret: "s", now: Date(timeIntervalSince1970: 1_900_000_000)) == Self.token)
        #expect(UploadToken.decode(encoded, secret: "other", now: Date(timeIntervalSince1970: 1_900_000_000)) == nil)
        #expect(UploadToken.decode(encoded, secret: "s", now: Date(timeIntervalSince1970: 2_000_000_001)) == nil)
        var tampered = Self.token
        tampered.size = 10_000
        let forged = tampered.encoded(secret: "s").split(separator: ".")[0] + "." + encoded.split(separator: ".")[1]
        #expect(UploadToken.decode(String(forged), secret: "s", now: Date(timeIntervalSince1970: 1_900_000_000)) == nil)
        #expect(UploadToken.decode("garbage", secret: "s", now: Date()) == nil)
    }

    @Test func deleteTokensAreBoundToTheirShare() {
        let token = DeleteToken.make(shareID: "share-one", secret: "s")
        #expect(DeleteToken.verify(token, shareID: "share-one", secret: "s"))
        #expect(!DeleteToken.verify(token, shareID: "share-two", secret: "s"))
        #expect(!DeleteToken.verify(token + "x", shareID: "share-one", secret: "s"))
    }

    @Test(arguments: [
        ("photo.jpg", "photo.jpg"), ("../../etc/passwd", "passwd"), ("a b&c.png", "a_b_c.png"), (".hidden", "hidden"), ("", "file"),
        ("日本.txt", "__.txt"), ("C:\\Users\\x\\doc.pdf", "doc.pdf"), ("a/b/", "b"), ("///", "file"), ("..a", "a"), ("._a", "_a"),
        ("é.txt", "_.txt"), ("...", "file"), ("a\u{0}b", "a_b"),
        (String(repeating: "x", count: 130) + ".tar", String(repeating: "x", count: 100) + ".tar"),
    ])
    func filenamesAreSanitized(input: String, expected: String) {
        #expect(ObjectKey.sanitize(input) == expected)
        let key = ObjectKey.make(filename: input, date: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(key.hasPrefix("uploads/2026/11/") && key.hasSuffix("/" + expected) && ObjectKey.isUploadKey(key), "\(key)")
        #expect(key.utf8.count == 16 + 22 + 1 + expected.utf8.count)
    }

    @Test(arguments: [(1_795_000_000.0, "2026/11"), (0, "1970/01"), (951_782_399, "2000/02"), (4_102_444_800, "2100/01")])
    func keysAreFiledByTheYearAndMonthInUTC(seconds: Double, folder: String) {
        #expect(ObjectKey.make(filename: "a", date: Date(timeIntervalSince1970: seconds)).hasPrefix("uploads/" + folder + "/"))
    }

    @Test(arguments: ["plain", "it's", "'", "''a''", "a b $HOME `x` \\ \"q\"", "line\nbreak", "日本 🐼", ""])
    func aShellQuotedWordIsReadBackByTheShellAsItWas(word: String) throws {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "printf %s " + UploadService.shellQuote(word)]
        let output = Pipe()
        shell.standardOutput = output
        try shell.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        #expect(String(decoding: printed, as: UTF8.self) == word)
    }

    @Test(arguments: [0, 1, 7, 8, 9, 16, 33])
    func theSystemGivesAsManyRandomBytesAsAsked(count: Int) {
        let first = RandomBytes.system.bytes(count)
        #expect(first.count == count)
        if count >= 16 { #expect(first != RandomBytes.system.bytes(count)) }
    }

    @Test(arguments: [Int64(0), 7, 10, 99, 1_000_007, -1, -10, Int64.max, Int64.min])
    func decimalsAreWrittenAsSwiftWritesThem(value: Int64) {
        var bytes: [UInt8] = []
        bytes.write(decimal: value)
        #expect(String(decoding: bytes, as: UTF8.self) == String(value))
    }

    @Test(arguments: [
        (Duration.zero, "GET /healthz 200 0.0ms"), (.microseconds(40), "GET /healthz 200 0.0ms"), (.microseconds(50), "GET /healthz 200 0.1ms"),
        (.milliseconds(12), "GET /healthz 200 12.0ms"), (.seconds(3) + .microseconds(449_940), "GET /healthz 200 3449.9ms"),
        (.seconds(3) + .microseconds(449_999), "GET /healthz 200 3450.0ms"),
    ])
    func theAccessLineNamesMethodRouteStatusAndTime(elapsed: Duration, line: String) {
        #expect(Gateway.accessLine(method: "GET", route: "/healthz", status: 200, elapsed: elapsed) == line)
    }

    @Test func systemBytesNeverRepeatAndSpreadEvenly() {
        // 4,096 draws of 16 bytes, as upload keys draw them.
        var seen = Set<[UInt8]>()
        var counts = [Int](repeating: 0, count: 256)
        for _ in 0..<4_096 {
            let draw = RandomBytes.system.bytes(16)
            #expect(draw.count == 16)
            seen.insert(draw)
            for byte in draw { counts[Int(byte)] += 1 }
        }
        #expect(seen.count == 4_096)
        // 65,536 bytes: each value is expected 256 times; zeros or a repeated block would stand out.
        #expect(counts.allSatisfy { (150...370).contains($0) }, "\(counts.min() ?? 0)...\(counts.max() ?? 0)")
        #expect(RandomBytes.system.bytes(2_000).count == 2_000)
    }

    @Test func keysCarry128RandomBits() {
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        let first = ObjectKey.make(filename: "a.png", date: date)
        let second = ObjectKey.make(filename: "a.png", date: date)
        #expect(first != second)
        let parts = first.split(separator: "/")
        #expect(parts.count == 5 && parts[0] == "uploads" && parts[1] == "2026" && parts[2] == "11" && parts[3].count == 22 && parts[4] == "a.png")
    }

    @Test(arguments: [
        ("image/png", ["image/*"], true), ("image/png", ["image/png"], true), ("text/plain; charset=utf-8", ["text/plain"], true),
        ("text/html", ["image/*", "text/plain"], false), ("application/x-anything", ["*/*"], true),
    ])
    func contentTypesAreMatchedByFamily(type: String, allowed: [String], expected: Bool) {
        #expect(UploadDeclaration.isAllowed(type, by: allowed) == expected)
    }

    @Test func escapingAndSizesForPages() {
        #expect(ViewPage.escape("<script>\"x\"&'y'</script>") == "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;")
        #expect(ViewPage.escape("{{=x|y}}") == "&#123;&#123;=x&#124;y&#125;&#125;")
        #expect(SizeText.words(1_500_000) == "1.5 MB" && SizeText.words(1_500_000, language: "fr") == "1,5 Mo")
        #expect(SizeText.words(12) == "12 bytes" && SizeText.words(12, language: "de") == "12 Bytes")
    }
}

/// One type policy for every client: the declared type, or the extension's when the client did not know.
struct MediaTypePolicyTests {
    @Test(arguments: [
        ("application/octet-stream", "page.html", "text/html"),
        ("application/octet-stream", "setup.EXE", "application/vnd.microsoft.portable-executable"),
        ("application/octet-stream", "data.bin", "application/octet-stream"), ("application/octet-stream", "noextension", "application/octet-stream"),
        ("image/png", "page.html", "image/png"), ("Application/Octet-Stream; x=1", "a.pdf", "application/pdf"),
        ("application/octet-stream", ".html", "application/octet-stream"),
    ])
    func octetStreamTakesTheExtensionsType(declared: String, filename: String, effective: String) {
        #expect(UploadDeclaration.effectiveType(declared: MediaType(declared)!, filename: filename).description == effective)
    }

    @Test func sha256IsHexOrBase64() {
        let digest = [UInt8](repeating: 0xAB, count: 32)
        #expect(UploadDeclaration.sha256Digest(String(repeating: "ab", count: 32)) == digest)
        #expect(UploadDeclaration.sha256Digest(String(repeating: "AB", count: 32)) == digest)
        #expect(UploadDeclaration.sha256Digest(Data(digest).base64EncodedString()) == digest)
        #expect(UploadDeclaration.sha256Digest(String(repeating: "ab", count: 31)) == nil)
        #expect(UploadDeclaration.sha256Digest(String(repeating: "zz", count: 32)) == nil)
    }
}

/// Media types are parsed (RFC 9110 §8.3.1), never split.
struct MediaTypeTests {
    @Test(arguments: [
        ("image/png", "image/png"), ("Image/PNG", "image/png"), ("text/plain; charset=UTF-8", "text/plain; charset=UTF-8"),
        ("text/plain;charset=utf-8", "text/plain; charset=utf-8"), (#"text/plain; name="a b""#, #"text/plain; name="a b""#),
        ("  image/svg+xml  ", "image/svg+xml"),
    ])
    func wellFormedTypesParse(text: String, canonical: String) throws {
        #expect(try #require(MediaType(text)).description == canonical)
    }

    @Test(arguments: [
        "image/png, text/html", "image/png,text/html", "image /png", "image/ png", "image", "/png", "image/", "image/png text/html",
        "image/png; charset", "image/png; =x", #"text/plain; a="unterminated"#, "text/plain;; a=b", "ima\u{0}ge/png", "",
    ])
    func anythingElseIsRefused(text: String) {
        #expect(MediaType(text) == nil)
    }

    @Test func allowedTypesMatchTheEssence() {
        #expect(UploadDeclaration.isAllowed("image/png; x=1", by: ["image/*"]))
        #expect(!UploadDeclaration.isAllowed("image/png, text/html", by: ["image/*"]))
        #expect(!UploadDeclaration.isAllowed("text/html", by: ["image/*", "text/plain"]))
    }
}
