import Foundation

extension GatewaySettings {
    /// Reads a settings file; every section and field is optional, and an unknown field is an error that names it
    /// (a typo never silently falls back to a default).
    public static func load(path: String) throws(GatewaySettingsError) -> GatewaySettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatewaySettingsError("The settings file \(path) cannot be read.")
        }
        let root: SettingsJSON
        do {
            root = try JSONDecoder().decode(SettingsJSON.self, from: data)
        } catch {
            throw GatewaySettingsError("\(path) is not valid JSON: \(error)")
        }
        guard case .object(let sections) = root else { throw GatewaySettingsError("\(path) must hold a JSON object of sections.") }
        var settings = GatewaySettings()
        try settings.apply(sections, prefix: "", path: path, depth: 0)
        return settings
    }

    /// Sets every leaf of a section (`uploads.scan.clamd` from `{"uploads":{"scan":{"clamd":…}}}`), three levels at most.
    private mutating func apply(_ members: [String: SettingsJSON], prefix: String, path: String, depth: Int) throws(GatewaySettingsError) {
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            let key = prefix + name
            if case .object(let inner) = value, depth < 2 {
                try apply(inner, prefix: key + ".", path: path, depth: depth + 1)
            } else {
                try set(key, json: value, path: path)
            }
        }
    }

    private mutating func set(_ key: String, json: SettingsJSON, path: String) throws(GatewaySettingsError) {
        guard let field = Self.field(key) else {
            throw GatewaySettingsError(
                "\(path): \(key) is not a Dropgate setting (see the settings table in the README, or `dropgate reference settings`).")
        }
        try set(field, field.parse(json: json, source: "\(path): \(key)"))
    }

    private mutating func set(_ field: SettingsField, _ value: SettingsField.Value) throws(GatewaySettingsError) {
        if let problem = field.problem(with: value) { throw GatewaySettingsError(problem) }
        field.write(&self, value)
    }

    /// Applies environment overrides: `DROPGATE_<SECTION>_<FIELD>` for every field (`DROPGATE_GATEWAY_PORT`), and the
    /// AWS names where a field has one (`AWS_ACCESS_KEY_ID`, `AWS_REGION`, `AWS_ENDPOINT_URL_S3`, …). Empty values are ignored.
    ///
    /// - Throws: ``GatewaySettingsError`` naming the variable when a value is malformed or the variable is unknown.
    public mutating func applyEnvironment(_ environment: [String: String]) throws(GatewaySettingsError) {
        let set = environment.filter { !$0.value.isEmpty }
        for field in Self.fields {
            for variable in [field.awsVariable, field.environmentVariable].compactMap({ $0 }) {
                guard let text = set[variable] else { continue }
                try self.set(field, field.parse(text: text, source: variable))
            }
        }
        let known = Set(Self.fields.map(\.environmentVariable)).union(["DROPGATE_ENV", "DROPGATE_URL", "DROPGATE_TOKEN", "DROPGATE_SHARES_FILE"])
        if let unknown = set.keys.sorted().first(where: { $0.hasPrefix("DROPGATE_") && !known.contains($0) }) {
            throw GatewaySettingsError(
                "\(unknown) is not a Dropgate setting (see the settings table in the README, or `dropgate reference settings`).")
        }
    }

    /// Checks every field, then the rules between fields; the first problem stops startup with a message that names the field.
    public func validate() throws(GatewaySettingsError) {
        for field in Self.fields {
            if let problem = field.problem(with: field.read(self)) { throw GatewaySettingsError(problem) }
        }
        func fail(_ message: String) -> GatewaySettingsError { GatewaySettingsError(message) }
        if environment == "production", let problem = GatewaySecret.productionProblem(self) { throw fail(problem) }
        if storage.mode == .external, storage.endpoint == nil, storage.publicEndpoint == nil {
            throw fail("storage.endpoint (or AWS_ENDPOINT_URL_S3) must be an http(s) URL when storage.mode is external.")
        }
        guard uploads.multipartThreshold >= uploads.partSize else { throw fail("uploads.multipartThreshold must be at least uploads.partSize.") }
        guard uploads.resumeWindow >= uploads.presignExpiry else { throw fail("uploads.resumeWindow must be at least uploads.presignExpiry.") }
        guard !uploads.allowedTypes.isEmpty else { throw fail("uploads.allowedTypes is empty: no upload could ever be accepted.") }
        if let report = gateway.cspReportURL, report.unicodeScalars.contains(where: { $0 == ";" || $0 == "," || $0.value < 0x21 || $0.value > 0x7E })
        {
            throw fail("gateway.cspReportURL must be one URL, without ';', ',' or spaces (it goes into the pages' Content-Security-Policy).")
        }
        for (name, bound) in [("limits.bytesPerHour", bytesPerHour), ("limits.pendingBytesPerClient", pendingBytesPerClient)]
        where bound > 0 && bound < uploads.maxBytes {
            throw fail("\(name) (\(bound)) is below uploads.maxBytes (\(uploads.maxBytes)): the largest uploads could never be declared.")
        }
        if auth.uploads == .token, auth.uploadTokens.isEmpty { throw fail("auth.uploads is token, but auth.uploadTokens lists none.") }
        if auth.oidc.issuer != nil, auth.oidc.clientId?.isEmpty ?? true {
            throw fail("auth.oidc.clientId must be set with auth.oidc.issuer.")
        }
        if auth.uploads == .login, auth.oidc.issuer == nil {
            throw fail("auth.uploads is login, but nobody can sign in: set auth.oidc.issuer and auth.oidc.clientId.")
        }
        guard auth.session.idleTimeout <= auth.session.lifetime else { throw fail("auth.session.idleTimeout must be at most auth.session.lifetime.") }
        guard shares.minExpiry <= shares.maxExpiry else { throw fail("shares.minExpiry must be at most shares.maxExpiry.") }
        guard (shares.minExpiry...shares.maxExpiry).contains(shares.defaultExpiry) else {
            throw fail("shares.defaultExpiry must be from shares.minExpiry to shares.maxExpiry.")
        }
    }
}
