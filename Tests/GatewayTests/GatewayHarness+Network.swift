import CurlHTTP
import HTTPServer

@testable import Gateway

/// The harness's gateway at `http://gateway.test` and its store at `http://store.test`, on one in-process network
/// with no sockets: what a client library sends reaches each handler as the server would parse it.
struct HarnessNetwork: HTTPTransport {
    static let gatewayBase = "http://gateway.test"

    let gateway: HandlerTransport
    let store: HandlerTransport

    init(_ harness: GatewayHarness) {
        gateway = HandlerTransport(handler: harness.gateway)
        store = harness.transport
    }

    func perform(_ call: HTTPCall, progress: ((Int64, Int64) -> Void)?) throws -> HTTPCallResponse {
        if call.url.hasPrefix(Self.gatewayBase + "/") { return try gateway.perform(call, progress: progress) }
        if call.url.hasPrefix("http://store.test/") { return try store.perform(call, progress: progress) }
        throw HandlerTransport.Unsupported(description: "nothing answers at \(call.url)")
    }
}

extension GatewayHarness {
    /// A harness whose gateway's public URL is ``HarnessNetwork/gatewayBase``.
    static func onNetwork(_ configure: (inout GatewaySettings) -> Void = { _ in }) throws -> GatewayHarness {
        try GatewayHarness { settings in
            settings.gateway.publicURL = HarnessNetwork.gatewayBase
            configure(&settings)
        }
    }
}
