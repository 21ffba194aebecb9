import DropgateAPI
import Foundation

/// A share's readable link, an alias of its record: one its owner chose (`/s/quarterly-report`) or words drawn at
/// random (`/s/amber-otter-river-…`). Kept in the bucket as `.dropgate/links/{name}.json`, written create-only, so
/// two gateways can never give one name to two shares.
enum ShareLinkName {
    /// Where a name's record is kept.
    static let prefix = ".dropgate/links/"

    static func key(_ name: String) -> String { prefix + name + ".json" }

    /// The shortest and longest custom link.
    static let customLength = 3...64

    /// Words in a word link: 12 × 11 = 132 bits, at least the 128 of a random id; 6 (66 bits) for a share with a
    /// password, which its page asks for before it shows anything (and whose guesses are limited).
    static let words = 12
    static let wordsWithPassword = 6

    /// Names a custom link may not take: route words and words that would read as the gateway's own.
    static let reserved: Set<String> = [
        "raw", "unlock", "qr", "qr-svg", "api", "admin", "me", "static", "new", "login", "logout", "signin", "signout", "help", "about",
        "dropgate", "www", "share", "shares", "download", "downloads", "upload", "uploads", "oembed", "robots", "healthz", "metrics",
        "settings", "account", "request", "requests", "file", "files", "index", "favicon", "security", "privacy", "terms", "null",
        "undefined",
    ]

    /// The name a person asked for, as kept (lowercase), or a 400 that says what is wrong with it.
    static func custom(_ asked: String) throws -> String {
        let name = asked.lowercased()
        let rule =
            "A custom link is \(customLength.lowerBound) to \(customLength.upperBound) letters (a to z), digits and single hyphens, such as quarterly-report"
        guard customLength.contains(name.utf8.count) else {
            throw GatewayError.badRequest(
                .invalidLink, "\(rule, as: "rule"); '\(asked, as: "asked")' is \(asked.count, as: "length") characters long.")
        }
        guard ReadableLink.isWellFormed(name), name.unicodeScalars.allSatisfy(\.isASCII) else {
            throw GatewayError.badRequest(.invalidLink, "\(rule, as: "rule"), not starting or ending with a hyphen; '\(asked, as: "asked")' is not.")
        }
        guard !reserved.contains(name) else {
            throw GatewayError.badRequest(.invalidLink, "'\(name, as: "name")' is a word the gateway keeps for itself; choose another link.")
        }
        return name
    }

    /// A word link: `count` words, each drawn uniformly from ``LinkWords/all`` with the system's random generator.
    static func randomWords(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in LinkWords.all[Int(generator.next(upperBound: UInt64(LinkWords.all.count)))] }.joined(separator: "-")
    }

    /// Bits of entropy in a word link of `count` words.
    static func bits(words count: Int) -> Double { Double(count) * log2(Double(LinkWords.all.count)) }
}
