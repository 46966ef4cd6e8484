import Embeddings
import ArgumentParser

/// `w2v eval analogy FILE` and `w2v eval similarity FILE`.
public struct Evaluate: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a model on an analogy or word-similarity benchmark.",
        discussion: """
        Examples:
          w2v eval analogy questions-words.txt --restrict 30000
          w2v eval similarity ../shared/data/eval/wordsim353.tsv --json
          w2v eval analogy corpora/sample-questions.txt
        """,
        subcommands: [EvaluateAnalogy.self, EvaluateSimilarity.self]
    )

    public init() {}
}

/// `w2v eval analogy FILE [--restrict N] [--method add|mul]`.
public struct EvaluateAnalogy: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "analogy",
        abstract: "Accuracy on analogy questions in the questions-words.txt format.",
        discussion: """
        FILE has sections ": name" and lines "a b c d" (a is to b as c is to d); sections whose name starts with "gram" are syntactic, the others semantic. A question counts as answered when all four words are in the (restricted) vocabulary; accuracy is over answered questions.

        Examples:
          w2v eval analogy ../shared/data/eval/questions-words.txt
          w2v eval analogy questions-words.txt --method mul --json
        """
    )

    @Argument(help: "The questions file.")
    public var file: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Use only the N most frequent words, as word2vec's compute-accuracy does (0: all words).", valueName: "n"))
    public var restrict = 30_000

    @Option(help: "add (3CosAdd) or mul (3CosMul).")
    public var method: AnalogyMethod = .add

    @OptionGroup public var output: OutputOptions
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func validate() throws {
        try check(restrict, in: 0...Int(Int32.max), "--restrict")
    }

    public func run() throws { try EvaluationRunner.analogy(self) }
}

/// `w2v eval similarity FILE`.
public struct EvaluateSimilarity: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Spearman and Pearson correlation with human word-pair similarity scores.",
        discussion: """
        FILE has one pair per line, "word1 word2 score", tab or space separated; lines starting with # are comments. Pairs with a word missing from the model are left out and counted as out-of-vocabulary (oov).

        Examples:
          w2v eval similarity ../shared/data/eval/wordsim353.tsv
          w2v eval similarity corpora/sample-similarity.tsv --json
        """
    )

    @Argument(help: "The word-pair file.")
    public var file: String

    @OptionGroup public var output: OutputOptions
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func run() throws { try EvaluationRunner.similarity(self) }
}
