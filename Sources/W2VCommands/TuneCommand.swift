import ArgumentParser
import Foundation

/// `w2v tune CORPUS --validation FILE --name NAME`: random search over hyperparameter ranges,
/// scored on validation data, narrowed round by round.
public struct Tune: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Search hyperparameters: train on random settings, score on validation data, narrow, repeat.",
        discussion: """
        Each round trains --trials models with settings drawn at random from the --search ranges (whole numbers for window, dimension, negative and epochs; a logarithmic scale for sample, alpha and shift), scores each on the --validation file (an analogy file in questions-words format: accuracy; a word-pair file: Spearman correlation), then halves every range around the best settings so far for the next round. The corpus is read once. The best model is stored under --name with its settings; the --test file, if given, is scored once, for the best model only, and reported apart (never used to choose). With --budget the search stops when the time is up (a trial in progress is abandoned) and keeps the best so far. The same --seed draws the same settings.

        Default --search for skipgram and cbow: \(SearchSpace.defaultSpecification(for: .skipgram)); for ppmi-svd: \(SearchSpace.defaultSpecification(for: .ppmiSVD)). A --search list replaces the default; parameters it leaves out keep w2v train's defaults.

        Examples:
          w2v tune corpus.txt --validation questions-dev.txt --test questions-test.txt --name tuned
          w2v tune corpus.txt --validation wordsim-dev.tsv --search window=2..8,negative=5..15 --epochs 2 --trials 8 --rounds 3 --name tuned
          w2v tune corpus.txt --validation questions-dev.txt --budget 30m --json --name tuned
        """
    )

    @Argument(help: ArgumentHelp("The corpus: a UTF-8 text file, a .gz or .xz file, a directory, or - for standard input.", valueName: "corpus"))
    public var corpus: String

    @Option(help: "skipgram, cbow (word2vec) or ppmi-svd (count-based).")
    public var model: ModelKind = .skipgram

    @Option(help: ArgumentHelp("The data that chooses: an analogy file (\": section\" and \"a b c d\" lines) or a word-pair file (\"word1 word2 score\").", valueName: "file"))
    public var validation: String

    @Option(help: ArgumentHelp("Held-out data of either kind, scored once for the best model (never used to choose).", valueName: "file"))
    public var test: String?

    @Option(parsing: .unconditional, help: "Settings tried per round.")
    public var trials = 6

    @Option(parsing: .unconditional, help: "Rounds; each narrows the ranges around the best settings so far.")
    public var rounds = 2

    @Option(help: ArgumentHelp("Ranges, e.g. window=2..10,sample=1e-5..1e-2 (default: see above).", valueName: "ranges"))
    public var search: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("word2vec: train every trial for N epochs (epochs is then not searched).", valueName: "n"))
    public var epochs: Int?

    @Option(help: ArgumentHelp("Stop when this much time has passed, e.g. 90s, 30m, 1h30m (default: no limit).", valueName: "duration"))
    public var budget: String?

    @Option(parsing: .unconditional, help: "Seed of the sampled settings and of every training run.")
    public var seed: UInt64 = 1

    @Option(name: .customLong("min-count"), parsing: .unconditional, help: "Ignore words seen fewer than N times.")
    public var minCount = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("Worker threads (default: all cores).", valueName: "n"))
    public var threads: Int?

    @Flag(help: "Lower-case the corpus before counting.")
    public var lowercase = false

    @Option(name: .long, help: ArgumentHelp("The name to store the best model under.", valueName: "name"))
    public var name: String

    @OptionGroup public var output: OutputOptions

    @Flag(help: "No progress output.")
    public var quiet = false

    @OptionGroup(title: "Store")
    public var storeOptions: StoreOptions

    public init() {}

    public func validate() throws {
        try check(trials, in: 1...10_000, "--trials")
        try check(rounds, in: 1...1_000, "--rounds")
        try check(minCount, in: 1...Int(Int32.max), "--min-count")
        if let threads { try check(threads, in: 1...1_024, "--threads") }
        if let epochs {
            try check(epochs, in: 1...10_000, "--epochs")
            if model == .ppmiSVD { throw ValidationError("--epochs applies to skipgram and cbow only (PPMI-SVD makes one pass).") }
        }
        if let budget, parseDuration(budget) == nil {
            throw ValidationError("--budget needs a duration above 0 such as 90s, 30m, 1h30m or a number of seconds (got \"\(budget)\").")
        }
        try validateModelName(name)
        do { _ = try searchSpace() } catch { throw ValidationError(error.description) }
    }

    /// The ranges to search: `--search`, else the model's default (without epochs when `--epochs` fixes them).
    func searchSpace() throws(SearchSpace.Problem) -> SearchSpace {
        var space = try SearchSpace(parsing: search ?? SearchSpace.defaultSpecification(for: model), model: model)
        if epochs != nil {
            if search != nil && space.ranges.contains(where: { $0.name == "epochs" }) {
                throw SearchSpace.Problem("--epochs fixes the epochs, so --search cannot also search them; drop one of the two.")
            }
            space.ranges.removeAll { $0.name == "epochs" }
        }
        return space
    }

    public func run() throws {
        try TuneRunner(command: self).run()
    }
}
