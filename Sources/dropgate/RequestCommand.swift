import ArgumentParser
import DropgateAPI
import Foundation
import Gateway

/// `dropgate request …`: file requests, links that let others send you files.
struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "File requests: a link that lets anyone send you files, within the limits you set.",
        subcommands: [
            RequestCreateCommand.self, RequestSendCommand.self, RequestShowCommand.self, RequestDownloadCommand.self, RequestCloseCommand.self,
        ])
}

/// The request id of `ID` or of its link `https://…/r/ID`, parsed as a URL.
func requestID(_ text: String) throws -> String {
    var id = Substring(text)
    if text.hasPrefix("http://") || text.hasPrefix("https://") {
        guard let path = URLComponents(string: text)?.path, let marker = path.range(of: "/r/", options: .backwards) else {
            throw CLIError("'\(text)' is not a file request's link (…/r/<id>).")
        }
        id = path[marker.upperBound...]
    }
    guard ShareLinkID.isValid(id) else { throw CLIError("'\(text)' is not a file request (its id, or its link …/r/<id>).") }
    return String(id)
}

/// Which request a command acts on, and as whom.
struct RequestTarget: ParsableArguments {
    @Argument(help: "The request's id or link.")
    var request: String

    @Option(help: "The gateway's URL (default: DROPGATE_URL, else http://localhost:5001).")
    var gateway: String?

    @Option(help: "Your personal token, or the request's owner token.")
    var token: String?

    func account() throws -> AccountRequest { try AccountRequest(gateway: gateway, token: token) }

    func id() throws -> String { try requestID(request) }
}
