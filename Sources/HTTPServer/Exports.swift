// The server's requests and responses carry HTTPWire's headers and query items.
@_exported import HTTPWire
