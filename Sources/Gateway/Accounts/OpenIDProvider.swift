import CurlHTTP
import DropgateAPI
import DropgateSettings
import Foundation
import HTTPWire
import OpenIDConnect
import Synchronization

/// Why a sign-in did not complete, in words for the person signing in (never a token, code or secret).
struct SignInFailure: Error, Sendable {
    var status: Int
    var message: Wording

    /// A provider's error code (`access_denied`, `invalid_grant`) as it may be shown: ASCII letters and `_`, at most 64.
    static func shown(_ code: String) -> String {
        String(code.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0 == "_") }.prefix(64))
    }
}

/// The deployment's OpenID provider: its discovery document (fetched when first needed; after a failure, again at
/// most every 10 seconds), its keys, and its token endpoint, all over libcurl with bounded times.
final class OpenIDProvider: Sendable {
    let settings: GatewaySettings.OpenIDConnect
    let issuer: String
    let clientID: String
    let documents: ProviderDocuments
    let verifier: IDTokenVerifier

    init?(settings: GatewaySettings.OpenIDConnect, now: @escaping @Sendable () -> Date, web: WebClient = OpenIDProvider.defaultWeb) {
        guard let issuer = settings.issuer, let clientID = settings.clientId else { return nil }
        self.settings = settings
        self.issuer = issuer
        self.clientID = clientID
        let documents = ProviderDocuments(issuer: issuer, allowsLoopbackHTTP: settings.allowLoopbackHTTP, web: web, now: now)
        self.documents = documents
        let seconds: @Sendable () -> Int64 = { Int64(now().timeIntervalSince1970) }
        let keys = KeySetCache(now: seconds) { try documents.fetch(documents.metadata().jwksURI.absoluteString, limit: 256 * 1024) }
        verifier = IDTokenVerifier(issuer: issuer, clientID: clientID, keys: keys, now: seconds)
    }

    static let defaultWeb = WebClient(connectTimeout: 5, requestTimeout: 10, stallTimeout: 10)

    /// The ID token the token endpoint gives for `code`, authenticated with the client secret (HTTP Basic, RFC 6749
    /// §2.3.1), or as a public client with `client_id` when there is none.
    func exchange(code: String, verifier codeVerifier: String, redirectURI: String) throws -> String {
        let metadata = try documents.metadata()
        var form = "grant_type=authorization_code&code=\(PercentEncoding.encode(code))&redirect_uri=\(PercentEncoding.encode(redirectURI))"
        form += "&code_verifier=\(PercentEncoding.encode(codeVerifier))"
        var headers: HTTPHeaders = [.init("Content-Type", "application/x-www-form-urlencoded"), .init("Accept", "application/json")]
        if let secret = settings.clientSecret, !secret.isEmpty {
            let pair = "\(PercentEncoding.encode(clientID)):\(PercentEncoding.encode(secret))"
            headers.add("Authorization", "Basic " + Data(pair.utf8).base64EncodedString())
        } else {
            form += "&client_id=\(PercentEncoding.encode(clientID))"
        }
        let response: WebClient.Response
        do {
            response = try documents.web.request(method: "POST", url: metadata.tokenEndpoint.absoluteString, headers: headers, body: Array(form.utf8))
        } catch {
            throw SignInFailure(status: 503, message: "The sign-in provider could not be reached. Try again in a minute.")
        }
        struct TokenResponse: Decodable {
            var idToken: String?
            var error: String?
            enum CodingKeys: String, CodingKey {
                case idToken = "id_token"
                case error
            }
        }
        let answer = try? JSONDecoder().decode(TokenResponse.self, from: Data(response.body.prefix(64 * 1024)))
        guard response.status == 200, let token = answer?.idToken else {
            // The provider's error code (`invalid_grant`), kept to the characters such codes have.
            guard let code = answer?.error.map(SignInFailure.shown) else {
                throw SignInFailure(status: 401, message: "The sign-in provider refused this sign-in. Start again.")
            }
            throw SignInFailure(status: 401, message: "The sign-in provider refused this sign-in (\(code, as: "code")). Start again.")
        }
        return token
    }
}

/// The provider's discovery document, cached, and the fetches behind it.
final class ProviderDocuments: Sendable {
    let issuer: String
    let allowsLoopbackHTTP: Bool
    let web: WebClient
    let now: @Sendable () -> Date
    private let state = Mutex<(metadata: ProviderMetadata?, failedAt: Date?)>((nil, nil))

    init(issuer: String, allowsLoopbackHTTP: Bool, web: WebClient, now: @escaping @Sendable () -> Date) {
        self.issuer = issuer
        self.allowsLoopbackHTTP = allowsLoopbackHTTP
        self.web = web
        self.now = now
    }

    /// The discovery document, fetched when first needed.
    func metadata() throws -> ProviderMetadata {
        let time = now()
        let (cached, failedAt) = state.withLock { ($0.metadata, $0.failedAt) }
        if let cached { return cached }
        if let failedAt, time.timeIntervalSince(failedAt) < 10 {
            throw SignInFailure(status: 503, message: "The sign-in provider could not be reached. Try again in a minute.")
        }
        do {
            guard let url = ProviderMetadata.discoveryURL(issuer: issuer) else {
                throw SignInFailure(status: 503, message: "auth.oidc.issuer is not a URL.")
            }
            let metadata = try ProviderMetadata(
                json: try fetch(url.absoluteString, limit: 256 * 1024), expectedIssuer: issuer, allowsLoopbackHTTP: allowsLoopbackHTTP)
            state.withLock { $0.metadata = metadata }
            return metadata
        } catch {
            state.withLock { $0.failedAt = time }
            throw SignInFailure(status: 503, message: "The sign-in provider could not be reached or answered wrongly. Try again in a minute.")
        }
    }

    /// A GET's body, at most `limit` bytes; anything but 200 throws.
    func fetch(_ url: String, limit: Int) throws -> [UInt8] {
        let response = try web.request(method: "GET", url: url, headers: [.init("Accept", "application/json")])
        guard response.status == 200, response.body.count <= limit else {
            throw SignInFailure(status: 503, message: "The sign-in provider answered \(response.status, as: "status") at \(url, as: "url").")
        }
        return response.body
    }
}
