import Foundation

/// The test data that ships with the package, under `Tests/Fixtures` (found from this file's own path).
enum TestData {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SigV4Tests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    /// The bytes of a fixture; a missing fixture stops the test run with its path, rather than passing on empty data.
    static func data(_ relativePath: String) -> Data {
        let url = root.appendingPathComponent(relativePath)
        guard let data = try? Data(contentsOf: url) else { fatalError("missing test fixture \(url.path)") }
        return data
    }

    static func text(_ relativePath: String) -> String {
        String(decoding: data(relativePath), as: UTF8.self)
    }
}
