import Foundation
import Gateway

/// What `dropgate serve` prints once it listens: where to go and how to upload, in a few lines that work when pasted.
struct NextSteps {
    let settings: GatewaySettings
    let running: GatewayProcess

    var text: String {
        let url = running.gatewayURL
        var lines = ["Dropgate is running: open \(url)"]
        if let store = running.storeURL {
            lines.append("  embedded S3 store on \(store), data in \(settings.storage.dataDirectory)")
        }
        lines.append("  Prometheus metrics on \(running.metricsURL)")
        let auth = settings.auth.uploadTokens.isEmpty ? "" : " -H 'Authorization: Bearer YOUR_TOKEN'"
        lines.append("  upload with curl, in the file's folder:")
        // jq writes the JSON (any name works), curl shows the gateway's refusal and fails, and so does the line.
        lines.append(
            #"    f=photo.jpg; if c=$(jq -n --arg f "$f" --argjson s "$(stat -c %s -- "$f")" '{filename:$f,size:$s}' | curl -sS --fail-with-body"#
                + auth + " '\(url)/api/uploads?format=shell' -d @-); then sh -c \"$c\"; else echo \"$c\" >&2; false; fi")
        let (command, onPath) = Self.cliCommand
        lines.append("  upload with the CLI: \(command) upload photo.jpg --gateway \(url)")
        if !onPath { lines.append("  (make install puts dropgate on PATH, in $PREFIX/bin; PREFIX is /usr/local unless you set it)") }
        lines.append("Ctrl-C to stop.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// How to call this binary: `dropgate` when it is the one on PATH, else its path (relative when under the current folder).
    static var cliCommand: (command: String, onPath: Bool) {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("dropgate").resolvingSymlinksInPath().path
            if candidate == me { return ("dropgate", true) }
        }
        let here = FileManager.default.currentDirectoryPath + "/"
        return (me.hasPrefix(here) ? String(me.dropFirst(here.count)) : me, false)
    }
}
