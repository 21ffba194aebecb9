import ArgumentParser
import CurlHTTP
import DropgateClient
import Foundation
import HTTPServer
import HTTPWire

/// `dropgate login`: signs the command line in through the browser. The gateway's page hands a personal token to a
/// listener on 127.0.0.1 that this command runs; the token is kept for that gateway, and uploads then belong to you.
struct LoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Sign the command line in through your browser: your uploads are then yours on every device.",
        discussion: "The token is kept in ~/.local/share/dropgate/logins.json (or DROPGATE_LOGINS_FILE), readable by you only.")

    @Option(help: "The gateway's URL (default: DROPGATE_URL, else http://localhost:5001).")
    var gateway: String?

    @Option(help: "Seconds to wait for the browser.")
    var timeout = 600

    @Option(
        help: "The port to listen on at 127.0.0.1 (default: any free one). On a machine reached by SSH, forward it: ssh -L PORT:127.0.0.1:PORT.")
    var port: Int?

    func validate() throws {
        guard (10...3_600).contains(timeout) else { throw ValidationError("--timeout must be from 10 to 3600 seconds.") }
        if let port, !(1_024...65_535).contains(port) { throw ValidationError("--port must be from 1024 to 65535.") }
    }

    func run() throws {
        let base = try GatewayURL.base(gateway)
        let state = Base64URL.encode((0..<32).map { _ in UInt8.random(in: 0...255) })
        let catcher = LoginCatcher(state: state)
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port ?? 0), handler: catcher)
        let port: Int
        do {
            port = try server.start()
        } catch {
            throw CLIError("Cannot listen on 127.0.0.1:\(self.port.map(String.init) ?? "a free port"): \(error)")
        }
        defer { server.shutdown() }
        let host = String(
            ProcessInfo.processInfo.hostName.unicodeScalars.filter {
                $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "-._".unicodeScalars.contains($0))
            }.prefix(64))
        // Written unbuffered: the address must reach a pipe before this command waits.
        let address = "\(base)/auth/cli?port=\(port)&state=\(state)&host=\(PercentEncoding.encode(host.isEmpty ? "this-computer" : host))"
        FileHandle.standardOutput.write(Data("Open this address in your browser and allow the command line:\n  \(address)\n".utf8))
        guard let token = catcher.wait(seconds: timeout) else {
            throw CLIError("No sign-in arrived within \(timeout) seconds; run dropgate login again.")
        }
        let logins = SavedLogins()
        try logins.set(token, for: base)
        print("Signed in to \(base). The token is kept in \(logins.path); dropgate logout revokes it.")
    }
}

/// `dropgate logout`: revokes the token `dropgate login` kept for the gateway, and forgets it.
struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "Revoke and forget the command line's sign-in.")

    @Option(help: "The gateway's URL (default: DROPGATE_URL, else http://localhost:5001).")
    var gateway: String?

    func run() throws {
        let base = try GatewayURL.base(gateway)
        let logins = SavedLogins()
        guard let token = try logins.token(for: base) else { throw CLIError("Not signed in to \(base) (nothing in \(logins.path)).") }
        let response = try WebClient().request(
            method: "DELETE", url: "\(base)/api/me/tokens/current", headers: [.init("Authorization", "Bearer \(token)")])
        guard response.status == 204 || response.status == 401 else {
            throw CLIError("The gateway did not revoke the token (HTTP \(response.status)); it is kept in \(logins.path).")
        }
        try logins.set(nil, for: base)
        print("Signed out of \(base).")
    }
}

/// The gateway's base URL from `--gateway`, `DROPGATE_URL` or the default, checked.
enum GatewayURL {
    static func base(_ option: String?) throws -> String {
        var base = option ?? ProcessInfo.processInfo.environment["DROPGATE_URL"] ?? "http://localhost:5001"
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else { throw CLIError("--gateway must be an http(s) URL; got '\(base)'.") }
        return base
    }
}
