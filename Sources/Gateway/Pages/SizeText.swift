import Foundation

/// A size as people read it, in decimal units: `1.5 MB`, `12 bytes`. The pages and the command line say sizes alike.
public enum SizeText {
    public static func words(_ bytes: Int64) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f", value) + " " + units[unit]
    }
}
