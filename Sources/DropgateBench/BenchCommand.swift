import ArgumentParser

/// `dropgate bench …`: the benchmarks, measured in this process against a baseline from the same run.
public struct BenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark; build with -c release.",
        subcommands: [BenchPresignCommand.self, BenchHeadCheckCommand.self, BenchSweepCommand.self, BenchAccountsCommand.self])

    public init() {}
}
