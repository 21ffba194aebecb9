import Foundation

/// A one-line progress bar on standard error, drawn only on a terminal, fed from several threads.
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var name = ""
    private var total: Int64 = 0
    private var parts: [Int: Int64] = [:]
    private var started = Date()
    private var lastDraw = Date.distantPast

    init(enabled: Bool) { self.enabled = enabled }

    func start(name: String, total: Int64) {
        lock.withLock {
            self.name = name
            self.total = total
            parts = [:]
            started = Date()
        }
    }

    /// Records the bytes sent so far by one part (or the single PUT, part 0).
    func update(part: Int, sent: Int64) {
        guard enabled else { return }
        lock.withLock {
            parts[part] = sent
            guard Date().timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = Date()
            draw()
        }
    }

    func finish() {
        guard enabled else { return }
        lock.withLock {
            parts = [0: total]
            draw()
            FileHandle.standardError.write(Data("\n".utf8))
        }
    }

    private func draw() {
        let sent = min(parts.values.reduce(0, +), total)
        let fraction = total > 0 ? Double(sent) / Double(total) : 1
        let filled = Int(fraction * 30)
        let rate = Double(sent) / max(Date().timeIntervalSince(started), 0.001) / 1_000_000
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
        let line = "\r[\(bar)] \(Int(fraction * 100))% \(String(format: "%.1f", rate)) MB/s \(name)"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
