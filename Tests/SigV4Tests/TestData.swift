import Foundation

/// Where the shared test data lives: `../shared/testdata` beside the package, or `$DROPGATE_TESTDATA`.
enum TestData {
    static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["DROPGATE_TESTDATA"] {
            return URL(fileURLWithPath: override)
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/testdata")
    }()

    static func data(_ relativePath: String) -> Data {
        (try? Data(contentsOf: root.appendingPathComponent(relativePath))) ?? Data()
    }

    static func text(_ relativePath: String) -> String {
        String(decoding: data(relativePath), as: UTF8.self)
    }
}
