import Foundation
import Testing

@testable import Gateway

/// Thumbnails (issue 33): where they are kept (keys no share may serve, no upload URL may write), which first bytes
/// pass, and when a link's card shows one.
struct ThumbnailTests {
    static let uploadKey = "uploads/2026/12/AAAAAAAAAAAAAAAAAAAAAA/photo.png"

    @Test func aThumbnailsKeysBelongToItsUploadAndAreNeverShareable() {
        let staged = ObjectKey.stagedThumbnail(of: Self.uploadKey)
        let kept = ObjectKey.thumbnail(of: Self.uploadKey)
        #expect(staged == "thumbs/staging/2026/12/AAAAAAAAAAAAAAAAAAAAAA/photo.png")
        #expect(kept == "thumbs/2026/12/AAAAAAAAAAAAAAAAAAAAAA/photo.png")
        #expect(ObjectKey.thumbnail(of: ObjectKey.published(Self.uploadKey)) == kept)
        for key in [staged, kept] {
            #expect(!ObjectKey.isShareableKey(key) && !ObjectKey.isUploadKey(key))
            #expect(ObjectKey.uploadKey(ofThumbnail: key) == Self.uploadKey)
        }
        for key in ["thumbs/../uploads/x", "thumbs/staging/2026/12/short/x.png", "uploads/2026/12/AAAAAAAAAAAAAAAAAAAAAA/photo.png", ".dropgate/x"] {
            #expect(ObjectKey.uploadKey(ofThumbnail: key) == nil, "\(key)")
        }
    }

    @Test func onlyAJPEGOrAWebPsFirstBytesPass() {
        #expect(UploadService.imageType([0xFF, 0xD8, 0xFF, 0xE0]) == "image/jpeg")
        #expect(UploadService.imageType(Array("RIFF\u{10}\0\0\0WEBPVP8 ".utf8)) == "image/webp")
        for refused in ["<html><script>", "RIFF\u{10}\0\0\0WAVEfmt ", "\u{89}PNG\r\n\u{1A}\n", "GIF89a", "<svg xmlns=", ""] {
            #expect(UploadService.imageType(Array(refused.utf8)) == nil, "\(refused)")
        }
        #expect(UploadService.imageType([0xFF, 0xD8]) == nil)
    }

    @Test func aCardShowsTheThumbnailOnlyWhenAllowedAndNeverForAGuardedShare() throws {
        let image = "https://drop.example/s/AAAAAAAAAAAAAAAAAAAAAA/1/thumb"
        let open = LinkCard(try LinkCardTests.record(["a.png"]), url: "https://drop.example/s/x", image: image)
        #expect(open.tags.contains("<meta property=\"og:image\" content=\"\(image)\">"))
        #expect(open.tags.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"))
        #expect(!LinkCard(try LinkCardTests.record(["a.png"]), url: "https://drop.example/s/x").tags.contains("og:image"))
        for (password, encrypted) in [(true, false), (false, true)] {
            let guarded = LinkCard(try LinkCardTests.record(["a.png"], password: password, encrypted: encrypted), url: "https://x/s/x", image: image)
            #expect(!guarded.tags.contains("og:image") && guarded.tags.contains("content=\"summary\""))
        }
    }
}
