import ArgumentParser
import DropgateAPI
import Foundation

/// `dropgate request close ID`: the request takes no more files, on every gateway at once.
struct RequestCloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a file request at once.")

    @OptionGroup var target: RequestTarget

    func run() throws {
        let account = try target.account()
        let info = try APIJSON.decode(FileRequestInfo.self, from: try account.send("POST", "/api/requests/\(try target.id())/close"))
        print("closed \(info.url)")
    }
}
