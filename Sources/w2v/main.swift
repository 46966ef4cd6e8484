import ArgumentParser
import W2VCommands
import W2VServer

/// The `w2v` command tree: the library's commands plus `serve`, which lives in the module above them.
struct W2VExecutable: ParsableCommand {
    static let configuration: CommandConfiguration = {
        var configuration = W2VCommand.configuration
        configuration.subcommands += [Serve.self]
        return configuration
    }()
}

OpenBLASLauncher.reexecuteIfNeeded()
W2VCommand.execute(as: W2VExecutable.self)
