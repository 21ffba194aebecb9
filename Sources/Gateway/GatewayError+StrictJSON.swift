import DropgateAPI

extension GatewayError {
    /// Refuses a request body whose JSON has a key twice (400 `invalid_json`) or a key its endpoint does not take (400
    /// `unknown_field`), naming the key; anything malformed is left to the decoder, which says how.
    static func checkStrict(_ bytes: [UInt8], _ shape: StrictJSON.Shape) throws {
        switch StrictJSON.problem(in: bytes, shape: shape) {
        case .duplicateKey(let path)?:
            throw badRequest(.invalidJSON, "The JSON has the key \"\(shown(path), as: "path")\" more than once: send each key once.")
        case .unknownKey(let path, let known)?:
            throw badRequest(
                .unknownField,
                "The JSON has a key this request does not take: \"\(shown(path), as: "path")\". It takes \(known.joined(separator: ", "), as: "known")."
            )
        case .malformed?, nil:
            return
        }
    }

    /// A key as an error message shows it: at most 64 characters, control characters as `?`.
    static func shown(_ path: String) -> String {
        let cut = path.count > 64 ? String(path.prefix(64)) + "…" : path
        return String(String.UnicodeScalarView(cut.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    }
}
