/// A whole number as people read it, its thousands grouped as the language groups them: `12,345` in English,
/// `12.345` in German, `12 345` in French (a narrow no-break space): as browsers' `Intl.NumberFormat` writes them, so
/// the pages and their scripts agree.
public enum NumberText {
    /// `number` as `language` (`en`, `de` or `fr`; anything else is English) writes it.
    public static func words(_ number: Int, language: String) -> String {
        let digits = String(number.magnitude)
        let separator =
            switch language {
            case "de": "."
            case "fr": "\u{202F}"
            default: ","
            }
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped += separator }
            grouped.append(digit)
        }
        return number < 0 ? "-" + grouped : grouped
    }
}
