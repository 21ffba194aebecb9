/// The gateway's refusal of an API call, in its words.
public struct GatewayRefusal: Error, CustomStringConvertible {
    public var status: Int
    /// The API's error code (`upload_too_large`, …), as the wire carries it.
    public var code: String
    public var message: String

    public var description: String { message }
}
