import DropgateClient
import Foundation
import Glibc
import HTTPWire
import Logging
import Synchronization

/// The log lines of `dropgate`, on stderr, in swift-log's `StreamLogHandler` format
/// (`2026-12-01T16:10:44+0000 info dropgate.gateway: [Gateway] GET /healthz 200 0.1ms`), written for a server that logs
/// every request:
/// - the timestamp is formatted once a second (not with `strftime` per line, which also stats /etc/localtime);
/// - lines are gathered and written together, within ``flushInterval`` or once 64 KiB wait, instead of one `write(2)`
///   each; a warning or an error is written at once with every line before it, and ``flush()`` writes what waits
///   (`serve` calls it when it stops). A `kill -9` can lose at most the last ``flushInterval`` of request lines.
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// How long a line may wait before it is written.
    static let flushInterval = 0.02

    private struct Output {
        var second = time_t(-1)
        var timestamp: [UInt8] = []
        var pending: [UInt8] = []
        var flusherStarted = false
    }

    private static let output = Mutex(Output())

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
        let pretty = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let source = event.source
        let message = event.message.description
        let urgent = event.level >= .warning
        let startFlusher = Self.output.withLock { output -> Bool in
            let now = time(nil)
            if now != output.second {
                output.second = now
                output.timestamp = Self.timestamp(now)
            }
            // `<timestamp> <level> <label>:<metadata> [<source>] <message>`, appended in place.
            output.pending.append(contentsOf: output.timestamp)
            output.pending.append(0x20)
            output.pending.write(utf8: event.level.rawValue)
            if !label.isEmpty {
                output.pending.append(0x20)
                output.pending.write(utf8: label)
            }
            output.pending.append(0x3A)
            output.pending.write(utf8: pretty)
            output.pending.write(literal: " [")
            output.pending.write(utf8: source)
            output.pending.write(literal: "] ")
            output.pending.write(utf8: message)
            output.pending.append(0x0A)
            if urgent || output.pending.count >= 64 * 1024 { Self.writeAll(&output.pending) }
            guard !output.flusherStarted else { return false }
            output.flusherStarted = true
            return true
        }
        if startFlusher {
            let thread = Thread {
                while true {
                    Thread.sleep(forTimeInterval: Self.flushInterval)
                    Self.flush()
                }
            }
            thread.stackSize = 64 * 1024
            thread.start()
        }
    }

    /// Writes every line that waits.
    static func flush() {
        output.withLock { output in writeAll(&output.pending) }
    }

    /// Writes `bytes` to stderr whole and empties them; when stderr is gone there is nothing to log to, and they are
    /// dropped.
    private static func writeAll(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        try? FileWrite.all(bytes, to: 2)
        bytes.removeAll(keepingCapacity: true)
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
