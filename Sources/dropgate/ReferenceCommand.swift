import ArgumentParser
import DropgateAPI
import Gateway

/// `dropgate reference settings|api`: the README's reference tables, generated from the declarations they document.
struct ReferenceCommand: ParsableCommand {
    enum Table: String, ExpressibleByArgument, CaseIterable {
        case settings
        case api
    }

    static let configuration = CommandConfiguration(
        commandName: "reference", abstract: "Print the settings table (every field, default, variables, meaning) or the API table, as Markdown.")

    @Argument(help: "settings or api")
    var table: Table

    func run() throws { print(table == .settings ? GatewaySettings.fieldsMarkdown : APIReference.markdown) }
}
