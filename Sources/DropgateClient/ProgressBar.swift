import Foundation
import Synchronization

/// A one-line progress bar on standard error, drawn only on a terminal, fed from several threads.
public final class ProgressBar: Sendable {
    private struct State {
        var name = ""
        var total: Int64 = 0
        var parts: [Int: Int64] = [:]
        var started = Date()
        var lastDraw = Date.distantPast
    }

    private let enabled: Bool
    private let now: @Sendable () -> Date
    private let state = Mutex(State())

    public init(enabled: Bool, now: @escaping @Sendable () -> Date = { Date() }) {
        self.enabled = enabled
        self.now = now
    }

    func start(name: String, total: Int64) {
        let time = now()
        state.withLock { $0 = State(name: name, total: total, started: time) }
    }

    /// Counts bytes an earlier run sent (the parts a resumed upload already has).
    func already(_ bytes: Int64) {
        state.withLock { $0.parts[-1] = bytes }
    }

    /// Records the bytes sent so far by one part (or the single PUT, part 0).
    func update(part: Int, sent: Int64) {
        guard enabled else { return }
        let time = now()
        state.withLock { state in
            state.parts[part] = sent
            guard time.timeIntervalSince(state.lastDraw) > 0.1 else { return }
            state.lastDraw = time
            draw(state, at: time)
        }
    }

    func finish() {
        guard enabled else { return }
        let time = now()
        state.withLock { state in
            state.parts = [0: state.total]
            draw(state, at: time)
            FileHandle.standardError.write(Data("\n".utf8))
        }
    }

    private func draw(_ state: State, at time: Date) {
        let sent = min(state.parts.values.reduce(0, +), state.total)
        let fraction = state.total > 0 ? Double(sent) / Double(state.total) : 1
        let filled = Int(fraction * 30)
        let rate = Double(sent) / max(time.timeIntervalSince(state.started), 0.001) / 1_000_000
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
        let line = "\r[\(bar)] \(Int(fraction * 100))% \(String(format: "%.1f", rate)) MB/s \(state.name)"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
