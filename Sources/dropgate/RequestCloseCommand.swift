import ArgumentParser
import DropgateAPI
import Foundation

/// `dropgate request close ID`: the request takes no more files, on every gateway at once.
struct RequestCloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a file request at once.")

    @Argument(help: "The request's id or link.")
    var request: String

    @Option(help: "The gateway's URL (default: DROPGATE_URL, else http://localhost:5001).")
    var gateway: String?

    @Option(help: "Your personal token, or the request's owner token.")
    var token: String?

    func run() throws {
        let account = try AccountRequest(gateway: gateway, token: token)
        let info = try APIJSON.decode(FileRequestInfo.self, from: try account.send("POST", "/api/requests/\(try requestID(request))/close"))
        print("closed \(info.url)")
    }
}
