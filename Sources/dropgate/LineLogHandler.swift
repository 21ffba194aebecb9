import Glibc
import Logging
import Synchronization

/// The log lines of `dropgate`, on stderr, in swift-log's `StreamLogHandler` format
/// (`2026-12-01T16:10:44+0000 info dropgate.gateway: [Gateway] GET /healthz 200 0.1ms`), written for a server that logs
/// every request: the timestamp is formatted once a second (not with `strftime` per line, which also stats
/// /etc/localtime), and each line is one `write(2)`, whole, in order with the others.
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// The stream every handler writes to: the current second's timestamp, and the lock that keeps lines whole.
    private static let output = Mutex((second: time_t(-1), timestamp: [UInt8]()))

    init(label: String) {
        self.label = label
        self.metadataProvider = LoggingSystem.metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata, !explicit.isEmpty { merged.merge(explicit) { _, new in new } }
        if let error = event.error { merged["error.message"] = "\(error)" }
        var text = " \(event.level)\(label.isEmpty ? "" : " ")\(label):"
        if !merged.isEmpty { text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
        text += " [\(event.source)] \(event.message)\n"
        Self.output.withLock { output in
            let now = time(nil)
            if now != output.second { output = (now, Self.timestamp(now)) }
            var line = output.timestamp
            line.append(contentsOf: text.utf8)
            line.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // stderr is gone: nothing to log to
                    }
                }
            }
        }
    }

    /// `yyyy-MM-dd'T'HH:mm:ssZ` in local time, as `StreamLogHandler` writes it.
    static func timestamp(_ seconds: time_t) -> [UInt8] {
        var seconds = seconds
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return Array("<unknown>".utf8) }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return buffer.prefix(count).map { UInt8(bitPattern: $0) }
    }
}
