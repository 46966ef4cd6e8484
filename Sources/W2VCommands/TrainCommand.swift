import ArgumentParser
import Foundation
import Word2Vec

/// How `w2v train` makes vectors.
public enum ModelKind: String, ExpressibleByArgument, CaseIterable, Sendable {
    case skipgram
    case cbow
    case ppmiSVD = "ppmi-svd"
}

/// `w2v train [CORPUS] [options]`: builds the vocabulary, trains, stores the vectors.
public struct Train: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Train word vectors on a UTF-8 text corpus and store them.",
        discussion: """
        Without CORPUS, trains on the small sample corpus shipped in corpora/sample.txt. The model is stored under --name (default: <corpus>-<model>, replacing an older model of that name) in the store (--store, else $W2V_STORE, else ./w2v.sqlite). Ctrl-C stops cleanly: nothing is stored and earlier models stay intact.

        Examples:
          w2v train
          w2v train ../shared/data/corpora/wiki8.txt --dimension 200
          w2v train corpus.txt --model cbow --window 8 --epochs 10 --lowercase
          w2v train corpus.txt --update per-pair      # word2vec's own skip-gram update
          w2v train corpus.txt --model ppmi-svd --window 2 --eig 0.5
          w2v train ~/corpora/news/             # a directory of text, .gz and .xz files (or one such file, or - for stdin)
          w2v train more.txt --continue sample-skipgram --epochs 3
        """
    )

    @Argument(help: ArgumentHelp("A UTF-8 text file, a .gz or .xz file, a directory (its files in name order), or - for standard input (default: the sample corpus in corpora/).", valueName: "corpus"))
    public var corpus: String?

    @Option(help: "skipgram, cbow (word2vec) or ppmi-svd (count-based).")
    public var model: ModelKind = .skipgram

    @Option(parsing: .unconditional, help: "Vector length.")
    public var dimension = 100

    @Option(parsing: .unconditional, help: ArgumentHelp("Context window: up to N words on each side (default 5 for word2vec, which samples 1...N per word; 2 for ppmi-svd).", valueName: "n"))
    public var window: Int?

    @Option(parsing: .unconditional, help: "word2vec: negative samples per positive pair.")
    public var negative = 5

    @Option(name: .customLong("min-count"), parsing: .unconditional, help: "Ignore words seen fewer than N times.")
    public var minCount = 5

    @Option(name: .customLong("max-vocab"), parsing: .unconditional, help: ArgumentHelp("Keep at most N words (the most frequent).", valueName: "n"))
    public var maxVocabularySize: Int?

    @Option(parsing: .unconditional, help: "word2vec: subsampling threshold for frequent words (0 turns it off).")
    public var sample = 1e-3

    @Option(parsing: .unconditional, help: "word2vec: passes over the corpus.")
    public var epochs = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("word2vec: worker threads (default: all cores).", valueName: "n"))
    public var threads: Int?

    @Option(parsing: .unconditional, help: "Random seed. With --threads 1 the same seed gives the same vectors; with more threads, runs differ slightly (Hogwild updates interleave).")
    public var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: ArgumentHelp("word2vec: initial learning rate (default 0.025 skip-gram, 0.05 CBOW).", valueName: "rate"))
    public var alpha: Double?

    @Option(help: ArgumentHelp("skipgram: hogbatch (default: one set of negatives per window, Ji et al. 2016; about 3x faster than per-pair, as good or better on our benchmarks) or per-pair (word2vec's and gensim's update, to reproduce them).", valueName: "update"))
    public var update: SkipGramUpdate?

    @Option(parsing: .unconditional, help: "ppmi-svd: context distribution smoothing exponent (1 turns it off).")
    public var cds = 0.75

    @Option(parsing: .unconditional, help: "ppmi-svd: eigenvalue weight p in U * S^p (0.5 symmetric, 1 classic, 0 none).")
    public var eig = 0.5

    @Option(parsing: .unconditional, help: "ppmi-svd: shift k of shifted PPMI, max(PMI - log k, 0).")
    public var shift = 1.0

    @Flag(inversion: .prefixedNo,
          help: "ppmi-svd: add the context vectors, W + C (Levy et al. 2015); --no-context-vectors keeps U * S^p alone.")
    public var contextVectors = true

    @Flag(help: "Lower-case the corpus before counting.")
    public var lowercase = false

    @Flag(help: "No progress output.")
    public var quiet = false

    @Option(name: .long, help: ArgumentHelp(
        "The name to store the model under (default: <corpus file name>-<model>, e.g. sample-skipgram).", valueName: "name"))
    public var name: String?

    @Option(name: .customLong("continue"), help: ArgumentHelp(
        "Go on training the stored skip-gram or CBOW model MODEL on CORPUS: new words that reach --min-count join its vocabulary, and the result replaces MODEL (or is stored under --name). The model keeps its settings; --epochs, --alpha (default: the model's), --min-count, --threads and --seed apply to the new run.",
        valueName: "model"))
    public var continueModel: String?

    @OptionGroup(title: "Store")
    public var storeOptions: StoreOptions

    public init() {}

    public func validate() throws {
        try validateModelName(name)
        if let corpus, corpus.isEmpty { throw ValidationError("The corpus path is empty; give a text file or leave it out to use the sample corpus.") }
        try check(dimension, in: 1...10_000, "--dimension")
        if let window { try check(window, in: 1...1_000, "--window") }
        try check(negative, in: 1...1_000, "--negative")
        try check(minCount, in: 1...Int(Int32.max), "--min-count")
        if let maxVocabularySize { try check(maxVocabularySize, in: 1...Int(Int32.max), "--max-vocab") }
        guard sample.isFinite, sample >= 0, sample < 1 else { throw ValidationError("--sample must be in 0..<1 (got \(sample)); 1e-3 to 1e-5 is typical, 0 turns it off.") }
        try check(epochs, in: 1...10_000, "--epochs")
        if let threads { try check(threads, in: 1...1_024, "--threads") }
        if let alpha, !(alpha.isFinite && alpha > 0 && alpha <= 1) { throw ValidationError("--alpha must be in (0, 1] (got \(alpha)); 0.025 is typical for skip-gram.") }
        guard cds.isFinite, cds > 0, cds <= 1 else { throw ValidationError("--cds must be in (0, 1] (got \(cds)); 0.75 is typical, 1 turns smoothing off.") }
        guard eig.isFinite, eig >= 0, eig <= 1 else { throw ValidationError("--eig must be in 0...1 (got \(eig)).") }
        guard shift.isFinite, shift >= 1 else { throw ValidationError("--shift must be at least 1 (got \(shift)); 1 means no shift.") }
        if let continueModel {
            if continueModel.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--continue needs the name of a stored model, e.g. --continue wiki8-skipgram.")
            }
            if corpus == nil {
                throw ValidationError("--continue needs the new text to train on: w2v train MORE.txt --continue \(continueModel)")
            }
        }
        if update != nil && model != .skipgram {
            throw ValidationError("--update applies to --model skipgram only (CBOW already makes one prediction per window).")
        }
    }

    /// Skip-gram's update: `--update`, else the library's default (HogBatch, which trained about
    /// 3x faster than per-pair updates on wiki8 with equal or better analogy and WordSim-353
    /// scores, Benchmarks/README.md).
    public var resolvedUpdate: SkipGramUpdate { update ?? Word2VecConfiguration().skipGramUpdate }

    /// The context window: `--window`, else 5 for word2vec and 2 for PPMI-SVD (Levy, Goldberg & Dagan 2015).
    public var resolvedWindow: Int { window ?? (model == .ppmiSVD ? 2 : 5) }

    /// The worker threads to use.
    public var resolvedThreads: Int { threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The model name: `--name`, else `<corpus file stem>-<model>` (`sample-skipgram` for the sample corpus).
    public func resolvedModelName(corpusPath: String) -> String {
        if let name { return name }
        var url = URL(fileURLWithPath: corpusPath)
        if ["gz", "xz"].contains(url.pathExtension) { url = url.deletingPathExtension() }
        var stem = url.deletingPathExtension().lastPathComponent
        if corpusPath == "-" { stem = "stdin" }
        if stem.isEmpty { stem = "corpus" }
        return "\(stem)-\(model.rawValue)"
    }

    public func run() throws {
        try TrainRunner(command: self).run()
    }
}

func check(_ value: Int, in range: ClosedRange<Int>, _ flag: String) throws {
    guard range.contains(value) else {
        throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound) (got \(value)).")
    }
}
