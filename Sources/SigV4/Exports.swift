// Signable requests carry HTTPWire's headers and query items.
@_exported import HTTPWire
