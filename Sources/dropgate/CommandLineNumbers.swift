import Gateway

/// Counts the command line prints for people: plain digits in English (as scripts read them), else grouped as the
/// environment's language groups them (`LANG=de_DE.UTF-8`: `12.345`; see ``NumberText``).
enum CommandLineNumbers {
    static func words(_ number: Int) -> String {
        let language = SizeText.language()
        return language == "en" ? String(number) : NumberText.words(number, language: language)
    }
}
