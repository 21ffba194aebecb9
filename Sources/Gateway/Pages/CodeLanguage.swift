import HTTPWire

/// Which files a page shows as code (line numbers and highlighting, drawn by `web/highlight.js`): text by its name's
/// extension, in the family of languages the highlighter knows it by.
enum CodeLanguage {
    static let families: [String: String] = {
        var table: [String: String] = [:]
        for ext in [
            "swift", "js", "mjs", "cjs", "ts", "tsx", "jsx", "java", "kt", "kts", "c", "h", "cc", "cpp", "cxx", "hpp", "cs", "go", "rs",
            "scala", "dart", "php", "m", "mm", "zig", "proto", "gradle", "groovy",
        ] { table[ext] = "c" }
        for ext in [
            "py", "rb", "sh", "bash", "zsh", "fish", "pl", "r", "yaml", "yml", "toml", "ini", "conf", "cfg", "env", "properties",
            "dockerfile", "mk", "cmake", "nix", "ps1",
        ] { table[ext] = "hash" }
        for ext in ["json", "jsonl", "geojson", "webmanifest"] { table[ext] = "json" }
        for ext in ["sql"] { table[ext] = "sql" }
        for ext in ["css", "scss", "less"] { table[ext] = "css" }
        for ext in ["html", "htm", "xml", "svg", "xhtml", "vue", "plist"] { table[ext] = "markup" }
        for ext in ["log", "out", "err", "diff", "patch"] { table[ext] = "log" }
        return table
    }()

    /// Files known by their whole name.
    static let names: [String: String] = ["makefile": "hash", "dockerfile": "hash", "gemfile": "hash", "rakefile": "hash", "cmakelists.txt": "hash"]

    /// The highlighter's family for a file, when its type is text (or bytes of no stated type, shown only as text) and
    /// its name is one of code's; nil otherwise.
    static func family(of file: SharedFile) -> String? {
        let type = MediaType(file.contentType)?.essence ?? ""
        let textual =
            (type.hasPrefix("text/") && !["text/csv", "text/markdown", "text/html"].contains(type))
            || ["application/json", "application/octet-stream", "application/x-sh", "application/yaml", "application/toml", "application/xml"]
                .contains(type)
        guard textual else { return nil }
        let name = file.filename.lowercased()
        if let family = names[name] { return family }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return families[String(name[name.index(after: dot)...])]
    }
}
