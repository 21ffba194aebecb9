import ArgumentParser
import DropgateAPI
import Foundation
import Gateway

/// `dropgate request show ID`: what senders handed over, one file a line.
struct RequestShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "List what senders handed over to a request.")

    @OptionGroup var target: RequestTarget

    func run() throws {
        let account = try target.account()
        let detail = try APIJSON.decode(FileRequestDetail.self, from: try account.send("GET", "/api/requests/\(try target.id())/submissions"))
        let bytesLeft = SizeText.words(detail.request.bytesLeft, language: SizeText.language())
        let left = detail.request.closed.map { "closed: \($0)" } ?? "\(CommandLineNumbers.words(detail.request.filesLeft)) files, \(bytesLeft) left"
        print("\(detail.request.title)  \(detail.request.url)  \(left)")
        for submission in detail.submissions {
            let who = [submission.name, submission.email].compactMap { $0 }.joined(separator: ", ")
            for file in submission.files {
                print(
                    "  \(file.name)  \(SizeText.words(file.size, language: SizeText.language()))  from \(who.isEmpty ? "someone" : who)  \(CommandLineDates.words(submission.at))"
                )
            }
        }
    }
}
