// The gateway is configured with GatewaySettings, so whoever imports the gateway sees its settings.
@_exported import DropgateSettings
