import Foundation

/// The claims of a verified ID token: the registered ones OpenID Connect Core §2 defines, and every other claim as a
/// plain value (a string, a list of strings, a number or a boolean), for the deployment's user and group claims.
public struct IDTokenClaims: Sendable, Equatable {
    /// One claim's value; objects and mixed lists are kept as `.other`.
    public enum Value: Sendable, Equatable, Decodable {
        case string(String)
        case strings([String])
        case number(Double)
        case bool(Bool)
        case other

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .string(text)
            } else if let list = try? container.decode([String].self) {
                self = .strings(list)
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .other
            }
        }

        /// The claim as strings: a string is one, a list is itself, anything else none.
        public var strings: [String] {
            switch self {
            case .string(let text): [text]
            case .strings(let list): list
            default: []
            }
        }
    }

    public var issuer: String
    public var subject: String
    public var audiences: [String]
    public var authorizedParty: String?
    public var expiresAt: Int64
    public var issuedAt: Int64
    public var notBefore: Int64?
    public var nonce: String?
    /// Every claim by name, the registered ones included.
    public var all: [String: Value]

    /// The claim `name` as strings (see ``Value/strings``).
    public func strings(_ name: String) -> [String] { all[name]?.strings ?? [] }

    init(payload: [UInt8]) throws(OIDCError) {
        guard let all = try? JSONDecoder().decode([String: Value].self, from: Data(payload)) else {
            throw OIDCError(.malformedToken, "The ID token's payload is not a JSON object.")
        }
        func number(_ name: String) -> Int64? {
            guard case .number(let value) = all[name], value.isFinite, value.magnitude < 1e15 else { return nil }
            return Int64(value)
        }
        guard case .string(let issuer) = all["iss"], case .string(let subject) = all["sub"], !subject.isEmpty,
            let expiresAt = number("exp"), let issuedAt = number("iat")
        else {
            throw OIDCError(.badClaims, "The ID token lacks iss, sub, exp or iat, or one of them has the wrong type.")
        }
        let audiences = all["aud"]?.strings ?? []
        guard !audiences.isEmpty else { throw OIDCError(.badClaims, "The ID token has no aud.") }
        self.issuer = issuer
        self.subject = subject
        self.audiences = audiences
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.notBefore = number("nbf")
        if case .string(let party) = all["azp"] { authorizedParty = party }
        if case .string(let nonce) = all["nonce"] { self.nonce = nonce }
        self.all = all
    }
}
