import ArgumentParser
import CurlHTTP
import DropgateBench
import DropgateClient
import Foundation
import Logging

/// `dropgate`: the upload-and-share gateway's command line.
@main
struct Dropgate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dropgate",
        abstract: "Upload files straight to S3-compatible storage through presigned URLs, and share them.",
        subcommands: [
            ServeCommand.self, UploadCommand.self, DownloadCommand.self, RevokeCommand.self, LoginCommand.self, LogoutCommand.self,
            SharesCommand.self,
            EditCommand.self,
            RequestCommand.self,
            DoctorCommand.self,
            ReferenceCommand.self,
            StoreCommand.self,
            PresignCommand.self,
            BenchCommand.self,
            DebugServerCommand.self,
        ]
    )

    /// Runs the command; any error other than help is one line on stderr and exit status 2.
    static func main() {
        // With TZ unset, glibc stats /etc/localtime on every strftime (each log line); set, it reads the zone once.
        if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 1) }
        LoggingSystem.bootstrap { label in LineLogHandler(label: label) }
        atexit { LineLogHandler.flush() }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as UnsupportedURL {
            // A gateway or store handed over a URL of another scheme: refused, nothing sent or written.
            FileHandle.standardError.write(Data("dropgate: error: \(error.description)\n".utf8))
            Foundation.exit(1)
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("dropgate: error: \(error.message)\n".utf8))
            Foundation.exit(2)
        } catch let error as ClientError {
            FileHandle.standardError.write(Data("dropgate: error: \(error.message)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("dropgate: \(message)\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// A bad input that the user can fix; printed as one line, exit status 2.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
