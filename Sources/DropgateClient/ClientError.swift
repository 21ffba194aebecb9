/// Why a client operation failed, in one line a person can act on (the CLI prints it as it is).
public struct ClientError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
