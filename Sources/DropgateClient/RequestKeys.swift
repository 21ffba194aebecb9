import EndToEnd
import Foundation
import HTTPWire

/// The owner keys of the file requests this user made encrypted (`dropgate request create --encrypt`): private keys,
/// so kept only in a file of this user's at mode 0600 (`$DROPGATE_REQUEST_KEYS`, else `request-keys.json` in dropgate's
/// data folder), and never sent anywhere.
public struct RequestKeys {
    struct Entry: Codable {
        var alg: String
        /// base64url of the PKCS #8 private key.
        var privateKey: String
    }

    let file: UserDataFile<[String: Entry]>

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        file = UserDataFile(name: "request-keys.json", variable: "DROPGATE_REQUEST_KEYS", environment: environment)
    }

    /// Where the keys are kept, to tell the user.
    public var path: String { file.path }

    public func save(_ key: OwnerKey, request id: String) throws {
        var entries = try file.load() ?? [:]
        entries[id] = Entry(alg: key.algorithm.rawValue, privateKey: Base64URL.encode(key.pkcs8))
        try file.save(entries)
    }

    /// The owner key of request `id`, if this user keeps one.
    public func key(request id: String) throws -> OwnerKey? {
        guard let entry = try file.load()?[id] else { return nil }
        guard let der = Base64URL.decode(entry.privateKey), let key = try? OwnerKey(pkcs8: der) else {
            throw ClientError("The key of request \(id) in \(file.path) is not one dropgate reads.")
        }
        return key
    }
}
