import Foundation

/// Bounds on password guesses: per client and share, and per share from every client (a guesser with many addresses
/// still meets the second). Each attempt costs a PBKDF2 of 600,000 rounds, so these bound the gateway's work too.
struct PasswordAttempts: Sendable {
    let perClient: AttemptLimiter
    let perShare: AttemptLimiter
    /// The CPU all password hashing may take together.
    let hashing: HashingBudget

    init(now: @escaping @Sendable () -> Date, hashers: Int = HashingBudget.defaultPermits) {
        perClient = AttemptLimiter(perMinute: 10, burst: 10, now: now)
        perShare = AttemptLimiter(perMinute: 60, burst: 30, now: now)
        hashing = HashingBudget(permits: hashers)
    }

    /// Nil when the attempt may go ahead, else the seconds to wait.
    func take(client: ClientAddress, share: String) -> Int? {
        if let wait = perClient.take(["\(client.description)|\(share)"]) { return wait }
        return perShare.take([share])
    }
}
