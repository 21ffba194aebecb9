import Foundation

/// A room of the gateway that presigns URLs for the store, within the life of the gateway's credentials.
protocol Presigning {
    var settings: GatewaySettings { get }
    var now: @Sendable () -> Date { get }
}

extension Presigning {
    /// The seconds a presigned URL may live: `wanted`, or less when temporary credentials expire sooner.
    ///
    /// - Returns: the seconds, and whether they were cut short by the session token's expiry.
    func presignLifetime(_ wanted: Int) throws -> (seconds: Int, clamped: Bool) {
        guard let expiry = settings.sessionTokenExpiry else { return (wanted, false) }
        let left = Int(expiry.timeIntervalSince(now()))
        guard left > 0 else {
            throw GatewayError(503, .credentialsExpired, "The gateway's temporary storage credentials have expired; renew them and restart it.")
        }
        return left < wanted ? (left, true) : (wanted, false)
    }
}
