import Foundation

/// A size as people read it, in decimal units: `1.5 MB`, `12 bytes`; in German `1,5 MB`, `12 Bytes`; in French
/// `1,5 Mo`, `12 octets`. The pages and the command line say sizes alike.
public enum SizeText {
    public static func words(_ bytes: Int64) -> String { words(bytes, language: "en") }

    /// `bytes` as `language` (`en`, `de` or `fr`; anything else is English) writes it.
    public static func words(_ bytes: Int64, language: String) -> String {
        let units =
            switch language {
            case "fr": ["octets", "Ko", "Mo", "Go", "To"]
            case "de": ["Bytes", "KB", "MB", "GB", "TB"]
            default: ["bytes", "KB", "MB", "GB", "TB"]
            }
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) \(units[0])" }
        let number = String(format: "%.1f", value)
        return (language == "de" || language == "fr" ? number.replacingOccurrences(of: ".", with: ",") : number) + " " + units[unit]
    }

    /// The language the command line writes for people in: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is
    /// set, by its language code (`de_DE.UTF-8` is German); English otherwise.
    public static func language(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            let code = String(value.prefix { $0.isLetter }).lowercased()
            return ["de", "fr"].contains(code) ? code : "en"
        }
        return "en"
    }
}
