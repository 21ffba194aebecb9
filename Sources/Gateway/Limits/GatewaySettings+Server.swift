import DropgateSettings
import HTTPServer
import S3Client

extension GatewaySettings {
    /// The HTTP server limits the settings ask for; the per-client connection bound skips `gateway.trustedProxies`,
    /// canonicalized as the rate limits canonicalize them.
    public var httpLimits: HTTPLimits {
        var limits = HTTPLimits()
        limits.headerTimeout = Double(self.limits.headTimeout)
        limits.minimumBodyRate = Double(self.limits.minBodyRate)
        limits.maximumConnectionsPerClient = self.limits.connectionsPerClient
        limits.maximumConnections = self.limits.maxConnections
        if self.limits.eventLoops > 0 { limits.eventLoops = self.limits.eventLoops }
        if self.limits.workers > 0 { limits.workers = self.limits.workers }
        limits.queuedRequests = self.limits.queuedRequests
        limits.connectionBoundExemptions = ClientAddress.canonical(gateway.trustedProxies)
        return limits
    }
}

extension GatewaySettings.Addressing {
    /// The S3 client's addressing.
    public var endpointAddressing: S3Endpoint.Addressing { self == .path ? .path : .virtualHosted }
}
