import CQRencode

/// A QR code of a text (a share link), made by libqrencode and drawn as SVG: one path of dark modules inside a
/// 4-module quiet zone, so any phone camera and zbar read it.
struct QRCode: Sendable {
    /// Modules per side.
    let size: Int
    /// Row-major, `true` for a dark module.
    let modules: [Bool]

    /// Encodes `text` (8-bit mode, error correction M); nil when it is too long for a QR code.
    init?(_ text: String) {
        guard !text.isEmpty, text.utf8.count <= 2_000, let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    /// The SVG document, `scale` pixels per module, with a title for screen readers.
    func svg(title: String, scale: Int = 8) -> String {
        let quiet = 4
        let side = size + 2 * quiet
        var path = ""
        path.reserveCapacity(modules.count * 4)
        for row in 0..<size {
            var column = 0
            while column < size {
                guard modules[row * size + column] else {
                    column += 1
                    continue
                }
                var run = 1
                while column + run < size, modules[row * size + column + run] { run += 1 }
                path += "M\(column + quiet) \(row + quiet)h\(run)v1h-\(run)z"
                column += run
            }
        }
        let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="t" width="\(side * scale)" height="\(side * scale)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges"><title id="t">\(escaped)</title>\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }
}
