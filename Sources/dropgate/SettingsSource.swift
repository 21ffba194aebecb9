import ArgumentParser
import Foundation
import Gateway

/// Where `serve` and `doctor` read settings from: a file, or the file of an environment, then the environment's
/// variables, then validation.
struct SettingsSource: ParsableArguments {
    @Option(help: "The settings file (default: settings-<env>.json).")
    var settings: String?

    @Option(help: "The environment whose settings to load (default: DROPGATE_ENV, else development).")
    var env: String?

    /// The file's settings and its path.
    func load() throws -> (GatewaySettings, String) {
        let environment = env ?? ProcessInfo.processInfo.environment["DROPGATE_ENV"] ?? "development"
        let path = settings ?? "settings-\(environment).json"
        do { return (try GatewaySettings.load(path: path), path) } catch { throw CLIError(error.message) }
    }

    /// Applies the environment's variables and validates; one line naming the field on failure.
    static func finish(_ settings: inout GatewaySettings, path: String) throws {
        do {
            try settings.applyEnvironment(ProcessInfo.processInfo.environment)
            try settings.validate()
        } catch {
            throw CLIError("Invalid settings (\(path)): \(error.message)")
        }
    }
}
