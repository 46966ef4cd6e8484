import ArgumentParser
import Foundation
import LanguageModels

/// `w2v lm train|eval|generate`: recurrent (LSTM) language models.
public struct LanguageModelCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Train, evaluate and sample LSTM language models (stored beside the vectors).",
        discussion: """
        Examples:
          w2v lm train ../shared/data/corpora/ptb.train.txt --valid ../shared/data/corpora/ptb.valid.txt --name ptb-rnnlm
          w2v lm eval ../shared/data/corpora/ptb.test.txt --name ptb-rnnlm
          w2v lm generate --name ptb-rnnlm --start the -n 30
        """,
        subcommands: [LanguageModelTrain.self, LanguageModelEvaluate.self, LanguageModelGenerate.self]
    )

    public init() {}
}

/// `w2v lm train TRAIN --valid VALID [--config rnnlm|small|better] [overrides] --name NAME`.
public struct LanguageModelTrain: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an LSTM language model on a word-level corpus (PTB style: <eos> per line).",
        discussion: """
        Configurations: rnnlm = the book's Rnnlm (1 layer, 100/100, time 35, batch 20, SGD lr 20, clip 0.25, 4 epochs); small = Zaremba et al. 2014 small (2 layers, 200/200, time 20, batch 20, 13 epochs, lr 20 halved each epoch after 4, clip 0.25: their lr 1 and clip 5 on a cost summed over the 20 steps, for this mean loss); better = the book's BetterRnnlm (2 x 650, dropout 0.5, tied, time 35, lr 20, clip 0.25, 40 epochs). Options after --config override it. The vocabulary is every word of TRAIN plus <unk>; unknown words of VALID become <unk>. With SGD the learning rate is divided by 4 whenever validation perplexity gets worse (or halved each epoch after the 4th for small); the stored model is the best validation epoch. Ctrl-C stops cleanly: nothing is stored unless --keep-partial, which stores the best model so far.

        Examples:
          w2v lm train ptb.train.txt --valid ptb.valid.txt --name ptb-rnnlm
          w2v lm train ptb.train.txt --valid ptb.valid.txt --config small --epochs 2 --name ptb-small --json
          w2v lm train ptb.train.txt --valid ptb.valid.txt --embeddings wiki8-skipgram --name ptb-pretrained
        """
    )

    @Argument(help: ArgumentHelp("The training corpus (UTF-8 text, whitespace tokens).", valueName: "train"))
    public var train: String

    @Option(help: ArgumentHelp("The validation corpus, measured after every epoch.", valueName: "file"))
    public var valid: String

    @Option(help: "rnnlm, small or better.") public var config = "rnnlm"
    @Option(parsing: .unconditional, help: "LSTM layers.") public var layers: Int?
    @Option(parsing: .unconditional, help: "Embedding size.") public var embedding: Int?
    @Option(parsing: .unconditional, help: "Hidden size.") public var hidden: Int?
    @Option(parsing: .unconditional, help: "Steps of truncated BPTT.") public var time: Int?
    @Option(parsing: .unconditional, help: "Parallel streams per mini-batch.") public var batch: Int?
    @Option(parsing: .unconditional, help: "Initial learning rate (default: the configuration's; 0.001 for Adam).") public var lr: Double?
    @Option(parsing: .unconditional, help: "Gradient clipping threshold (global L2 norm).") public var clip: Double?
    @Option(parsing: .unconditional, help: "Dropout rate between layers.") public var dropout: Double?
    @Flag(inversion: .prefixedNo, help: "Tie the output weight to the embedding (needs --embedding = --hidden).") public var tie: Bool?
    @Option(help: "sgd or adam.") public var optimizer: LanguageModelConfiguration.OptimizerKind?
    @Option(name: .customLong("init"), help: ArgumentHelp("How new weights are drawn: book (N(0, 1/fan-in), biases 0: rnnlm and better) or uniform[:LIMIT] (U(-0.1, 0.1): small).", valueName: "book|uniform"))
    public var initialization: LanguageModelConfiguration.Initialization?
    @Option(parsing: .unconditional, help: "Passes over the training corpus.") public var epochs: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("BLAS threads (default: all cores).", valueName: "n")) public var threads: Int?
    @Option(parsing: .unconditional, help: "Random seed (initialisation and dropout).") public var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Initialise the embedding from this stored word-vector model (the embedding size becomes its dimension unless --embedding is given).", valueName: "model"))
    public var embeddings: String?
    @Flag(name: .customLong("freeze-embeddings"), help: "With --embeddings: keep the embedding fixed during training.")
    public var freezeEmbeddings = false
    @Flag(name: .customLong("keep-partial"), help: "On Ctrl-C, store the best model so far instead of nothing.")
    public var keepPartial = false
    @Flag(help: "Print the per-epoch figures as one JSON document.") public var json = false
    @Flag(help: "No progress output.") public var quiet = false
    @Option(help: ArgumentHelp("The name to store the language model under (replacing a language model of that name).", valueName: "name"))
    public var name: String
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions

    public init() {}

    public func validate() throws {
        try validateModelName(name)
        if freezeEmbeddings && embeddings == nil { throw ValidationError("--freeze-embeddings needs --embeddings MODEL.") }
        if let threads { try check(threads, in: 1...1_024, "--threads") }
        _ = try resolvedConfiguration()
    }

    /// The preset with the overrides applied, validated; `pretrainedDimension` (the dimension of
    /// `--embeddings`) is the embedding size when `--embedding` is not given.
    public func resolvedConfiguration(pretrainedDimension: Int? = nil) throws -> LanguageModelConfiguration {
        var c: LanguageModelConfiguration
        do { c = try LanguageModelConfiguration.preset(named: config) } catch { throw ValidationError(error.problem + " Use --config rnnlm, small or better.") }
        if let layers { c.layers = layers }
        if let embedding { c.embeddingSize = embedding } else if let pretrainedDimension { c.embeddingSize = pretrainedDimension }
        if let hidden { c.hiddenSize = hidden }
        if let time { c.timeSize = time }
        if let batch { c.batchSize = batch }
        if let optimizer { c.optimizer = optimizer }
        if let initialization { c.initialization = initialization }
        if let lr { c.learningRate = Float(lr) } else if optimizer == .adam { c.learningRate = 0.001 }
        if let clip { c.clip = Float(clip) }
        if let dropout { c.dropout = Float(dropout) }
        if let tie { c.tieWeights = tie }
        if let epochs { c.epochs = epochs }
        c.seed = seed
        do { try c.validate() } catch { throw ValidationError(error.problem) }
        return c
    }

    public func run() throws { try LanguageModelRunner.train(self) }
}

/// `w2v lm eval TEST --name NAME [--json]`.
public struct LanguageModelEvaluate: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Perplexity of a stored language model on a corpus.",
        discussion: """
        Words outside the model's vocabulary count as <unk>. The corpus is read as N parallel streams with the training batch and time sizes, as during validation. --json prints {"perplexity": x, "tokens": n}.

        Examples:
          w2v lm eval ptb.test.txt --name ptb-rnnlm
        """
    )

    @Argument(help: ArgumentHelp("The corpus to measure.", valueName: "test")) public var test: String
    @Flag(help: "Print {\"perplexity\": x, \"tokens\": n}.") public var json = false
    @Flag(help: "No progress output.") public var quiet = false
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func run() throws { try LanguageModelRunner.evaluate(self) }
}

/// `w2v lm generate --name NAME --start "the company" [-n 30] [--temperature T] [--top-k K] [--greedy] [--seed N]`.
public struct LanguageModelGenerate: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text with a stored language model.",
        discussion: """
        Feeds the start words, then chooses each next word from the softmax: sampled (with --temperature, restricted to the --top-k most probable words when given) or the most probable one with --greedy. Words in the stop list (--stop, default <unk>) are never produced. <eos> ends a line. The same --seed gives the same text.

        Examples:
          w2v lm generate --name ptb-rnnlm --start the -n 30
          w2v lm generate --name ptb-rnnlm --start the --greedy
          w2v lm generate --name ptb-rnnlm --start the --temperature 0.8 --top-k 40 --seed 7

        Several start words are one argument: --start "the company".
        """
    )

    @Option(help: ArgumentHelp("The start words, separated by spaces.", valueName: "words")) public var start: String
    @Option(name: [.customShort("n"), .customLong("count")], parsing: .unconditional, help: "Words to generate.") public var count = 30
    @Option(parsing: .unconditional, help: "Sampling temperature (lower is more conservative).") public var temperature: Double = 1
    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Sample only among the K most probable words.") public var topK: Int?
    @Flag(help: "Always take the most probable word.") public var greedy = false
    @Option(parsing: .unconditional, help: "Sampling seed.") public var seed: UInt64 = 1
    @Option(parsing: .singleValue, help: ArgumentHelp("A word never to generate (repeatable; default <unk>).", valueName: "word"))
    public var stop: [String] = []
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func validate() throws {
        try check(count, in: 0...100_000, "-n")
        guard temperature.isFinite, temperature > 0 else { throw ValidationError("--temperature must be positive (got \(temperature)).") }
        if let topK { try check(topK, in: 1...10_000_000, "--top-k") }
        if greedy && (topK != nil || temperature != 1) { throw ValidationError("--greedy takes no --temperature or --top-k.") }
        if start.split(whereSeparator: { $0.isWhitespace }).isEmpty { throw ValidationError("--start needs at least one word.") }
    }

    public func run() throws { try LanguageModelRunner.generate(self) }
}
