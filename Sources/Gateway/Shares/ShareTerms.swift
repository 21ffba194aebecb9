/// How long a share lives and how often each file may be downloaded: validated once, for a declaration
/// (`POST /api/uploads`) and for a collection (`POST /api/shares`) alike.
struct ShareTerms: Sendable, Hashable {
    var expiresIn: Int
    var maxDownloads: Int?

    init(expiresIn: Int, maxDownloads: Int?) {
        self.expiresIn = expiresIn
        self.maxDownloads = maxDownloads
    }

    /// The terms a client asked for, or the defaults; 400 naming the field when out of range.
    init(expiresIn: Int64?, maxDownloads: Int64?, settings: GatewaySettings) throws {
        let expiresIn = expiresIn.map { Int(clamping: $0) } ?? settings.shares.defaultExpiry
        guard (settings.shares.minExpiry...max(settings.shares.minExpiry, settings.shares.maxExpiry)).contains(expiresIn) else {
            throw GatewayError.badRequest(
                .invalidExpiry,
                "expiresIn must be a number of seconds from \(settings.shares.minExpiry, as: "minExpiry") to \(settings.shares.maxExpiry, as: "maxExpiry")."
            )
        }
        guard (maxDownloads ?? 1) >= 1 else {
            throw GatewayError.badRequest(.invalidMaxDownloads, "maxDownloads must be a whole number of at least 1.")
        }
        self.expiresIn = expiresIn
        self.maxDownloads = maxDownloads.map { Int(clamping: $0) }
    }
}
