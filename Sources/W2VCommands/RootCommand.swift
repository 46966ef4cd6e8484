import ArgumentParser
import TensorCore

/// The `w2v` command tree.
public struct W2VCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "w2v",
        abstract: "Train, store and query word embeddings (word2vec skip-gram/CBOW and PPMI-SVD).",
        discussion: """
        Examples:
          w2v --version
        """,
        version: versionText(),
        subcommands: []
    )

    public init() {}

    /// The `--version` text: toolkit version and the OpenBLAS kernels in use.
    public static func versionText() -> String {
        "w2v \(Toolkit.version) (OpenBLAS core: \(OpenBLAS.coreName), \(OpenBLAS.threadCount) thread\(OpenBLAS.threadCount == 1 ? "" : "s"))"
    }
}
