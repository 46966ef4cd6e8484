#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import TensorCore

/// The `w2v` command tree.
public struct W2VCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "w2v",
        abstract: "Train, store and query word embeddings (word2vec skip-gram/CBOW, PPMI-SVD), LSTM language models and seq2seq models.",
        discussion: """
        Models live in an SQLite store: --store FILE, else $W2V_STORE, else ./w2v.sqlite. Query commands use the most recently stored model unless --name NAME says otherwise.

        Examples:
          w2v train                   # the sample corpus, in seconds
          w2v similar king
          w2v analogy man king woman -n 3   # man is to king as woman is to ?
          w2v train ../shared/data/corpora/wiki8.txt --threads 2
          w2v eval analogy ../shared/data/eval/questions-words.txt
          w2v export wiki8-skipgram vectors.bin --format word2vec-binary
          w2v models
        """,
        version: versionText(),
        subcommands: [
            Train.self, Tune.self, Similar.self, Analogy.self, Similarity.self, DoesntMatch.self,
            Evaluate.self, Import.self, Export.self, Models.self, Info.self, Plot.self,
            LanguageModelCommand.self,
            Seq2SeqCommand.self,
        ]
    )

    public init() {}

    /// The `--version` text: toolkit version and the OpenBLAS kernels in use.
    public static func versionText() -> String {
        "w2v \(Toolkit.version) (OpenBLAS core: \(OpenBLAS.coreName), \(OpenBLAS.threadCount) thread\(OpenBLAS.threadCount == 1 ? "" : "s"))"
    }

    /// Parses `arguments` (the process arguments when nil), runs the command and exits.
    ///
    /// Usage errors and `--help` are handled by ArgumentParser (status 64 and 0). Any other
    /// error is printed as one or two lines on standard error (see ``CommandFailure``) and the
    /// process exits with that failure's status: 1, or 130 after Ctrl-C.
    public static func execute(_ arguments: [String]? = nil) -> Never {
        execute(arguments, as: W2VCommand.self)
    }

    /// ``execute(_:)`` with another root command: the executable's, which adds the commands of
    /// modules above this one (`w2v serve`) to ``configuration``'s subcommands.
    public static func execute<Root: ParsableCommand>(_ arguments: [String]? = nil, as root: Root.Type) -> Never {
        var command: any ParsableCommand
        do {
            command = try Root.parseAsRoot(arguments)
        } catch {
            Root.exit(withError: error)
        }
        do {
            try command.run()
        } catch where isArgumentParserError(error) {
            Root.exit(withError: error)
        } catch {
            let failure = CommandFailure(error)
            StandardStreams.printError(failure.description)
            #if canImport(Glibc)
            Glibc.exit(failure.exitCode)
            #else
            Darwin.exit(failure.exitCode)
            #endif
        }
        #if canImport(Glibc)
        Glibc.exit(0)
        #else
        Darwin.exit(0)
        #endif
    }

    /// Errors that ArgumentParser prints itself: help and version requests, usage and
    /// validation errors, `ExitCode` and `CleanExit`.
    static func isArgumentParserError(_ error: any Error) -> Bool {
        if error is ExitCode || error is CleanExit || error is ValidationError { return true }
        return String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
