import ArgumentParser

@main
struct Portico: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portico",
        abstract: "A self-hosted API gateway that speaks Amazon API Gateway's API.",
        subcommands: [Serve.self],
        defaultSubcommand: Serve.self
    )

    static func main() async {
        MallocTuning.reexecIfNeeded()
        await main(nil)
    }
}
