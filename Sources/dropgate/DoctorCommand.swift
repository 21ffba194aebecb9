import ArgumentParser
import Foundation
import Gateway

/// `dropgate doctor`: checks the configured store for real and prints a table of ✓ and ✗.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configured store: credentials, bucket, clock, CORS, POST policies, If-None-Match, lifecycle rules.")

    @OptionGroup var source: SettingsSource

    @Flag(
        help:
            "Add what is missing: a CORS rule for the gateway's origin (PutBucketCors), a rule aborting incomplete multipart uploads (PutBucketLifecycleConfiguration)."
    )
    var fix = false

    func run() throws {
        var (loaded, path) = try source.load()
        try SettingsSource.finish(&loaded, path: path)
        var privateFolder: String?
        if loaded.storage.mode == .embedded {
            let host = loaded.storage.host == "0.0.0.0" ? "127.0.0.1" : loaded.storage.host
            if loaded.storage.port > 0, TCPProbe.accepts(host: host, port: loaded.storage.port) {
                // A gateway is running with its store: check that store through its endpoint, never its folder.
                loaded.storage.mode = .external
                loaded.storage.endpoint = "http://\(host):\(loaded.storage.port)"
                if loaded.storage.publicEndpoint == nil { loaded.storage.publicEndpoint = "http://localhost:\(loaded.storage.port)" }
                print("The embedded store is running on \(host):\(loaded.storage.port): checking it there.")
            } else {
                // None is running: a private store on a temporary folder, so the real data folder is never opened.
                print("No embedded store is running on \(host):\(loaded.storage.port): checking a private one on a temporary folder.")
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dropgate-doctor-\(UUID().uuidString)").path
                loaded.storage.dataDirectory = folder
                loaded.storage.port = 0
                loaded.storage.publicEndpoint = nil
                privateFolder = folder
            }
        }
        let storage = try StorageConnection.open(settings: loaded) { _ in }
        defer {
            storage.shutdown()
            if let privateFolder { try? FileManager.default.removeItem(atPath: privateFolder) }
        }
        let doctor = StoreDoctor(settings: storage.settings, client: storage.client, publicEndpoint: storage.publicEndpoint)
        var findings = doctor.run()
        let repairs: [(check: String, what: String, apply: () throws -> Void)] = [
            ("CORS", "a CORS rule for \(loaded.gateway.publicURL)", doctor.fixCORS),
            ("lifecycle", "a lifecycle rule aborting incomplete multipart uploads", doctor.fixLifecycle),
            (StoreDoctor.publicAccessCheck, "a public access block refusing public ACLs and policies", doctor.fixPublicAccess),
        ]
        var repaired = false
        for repair in repairs where fix && findings.contains(where: { $0.check.hasPrefix(repair.check) && !$0.passed }) {
            do {
                try repair.apply()
                print("applied \(repair.what)")
                repaired = true
            } catch {
                print("could not apply \(repair.what): \(error)")
            }
        }
        if repaired {
            print("checking again")
            findings = doctor.run()
        }
        print("Store \(storage.client.configuration.endpoint.url), bucket \(loaded.storage.bucket):")
        for finding in findings {
            print("\(finding.passed ? "✓" : "✗") \(finding.check): \(finding.detail)")
            if let fix = finding.fix, !finding.passed { print("    fix: \(fix)") }
        }
        let failed = findings.filter { !$0.passed }.count
        print(failed == 0 ? "all \(findings.count) checks passed" : "\(failed) of \(findings.count) checks failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
