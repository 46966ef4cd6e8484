import Foundation

/// The two word2vec architectures (Mikolov et al. 2013, "Efficient Estimation of Word
/// Representations in Vector Space").
public enum Word2VecArchitecture: String, Sendable, CaseIterable, Codable {
    /// Skip-gram: the center word's input vector predicts each context word.
    case skipGram
    /// Continuous bag of words: the mean of the context words' input vectors predicts the center word.
    case cbow

    /// word2vec's default starting learning rate: 0.025 for skip-gram, 0.05 for CBOW.
    public var defaultLearningRate: Float {
        switch self {
        case .skipGram: return 0.025
        case .cbow: return 0.05
        }
    }
}

/// How the training engine evaluates the logistic sigmoid `σ(x) = 1 / (1 + e^-x)`.
public enum SigmoidEvaluation: String, Sendable, Codable {
    /// A 1,024-entry lookup table over `[-6, 6]`, saturating to 0 / 1 outside, as word2vec does
    /// (maximum error about 0.0015).
    case table
    /// The exact function (slower); used to check the engine against the reference layers.
    case exact
}

/// How CBOW spreads the gradient `∂h` of the hidden vector `h = (1/C) Σ_c W_in[c]` over the
/// `C` context rows.
public enum CBOWContextUpdate: String, Sendable, Codable {
    /// Every context row receives the whole `∂h`, as word2vec's C tool and gensim (`cbow_mean=1`)
    /// do: the exact gradient with W_in's learning rate multiplied by `C`. Learns much faster
    /// in few epochs; the default.
    case word2vec
    /// Every context row receives `∂h / C`, the exact gradient of the mean (the reference
    /// ``CBOW`` model with one learning rate).
    case exactGradient
}

/// How the skip-gram engine groups its updates.
public enum SkipGramUpdate: String, Sendable, Codable, CaseIterable {
    /// One (center, context) pair at a time, with `negativeSamples` fresh negatives per pair:
    /// word2vec's C tool and gensim. Choose it to reproduce them.
    case perPair
    /// HogBatch (Ji, Satish, Li & Dubey 2016, "Parallelizing Word2Vec in Shared and Distributed
    /// Memory"): per window, the input rows of the `C` context words all predict the center word
    /// against one set of `negativeSamples` negatives, and the `C × (1 + k)` block is updated at
    /// once from the values before the step (`ΔX = G·O`, `ΔO = Gᵀ·X`). The same number of
    /// positive and negative terms as ``perPair``, but each output row is loaded once per window
    /// instead of once per pair. On wiki8 (5 epochs, 2 threads) it trained 3.2x faster than
    /// ``perPair`` with better analogy and WordSim-353 scores (Benchmarks/README.md). The default,
    /// for the library and the command line alike.
    case hogBatch
}

/// Hyperparameters of word2vec training with negative sampling, with word2vec's names and defaults.
///
/// Defaults follow the original C tool: `-size 100 -window 5 -negative 5 -min-count 5
/// -sample 1e-3 -iter 5 -threads <cores>`, learning rate 0.025 (skip-gram) / 0.05 (CBOW)
/// decaying linearly to `learningRate × 1e-4`; skip-gram updates by HogBatch windows unless
/// `skipGramUpdate` is `.perPair` (the C tool's own update).
public struct Word2VecConfiguration: Sendable, Equatable, Codable {
    /// Skip-gram or CBOW.
    public var architecture: Word2VecArchitecture
    /// Length of each word vector (`-size`).
    public var dimension: Int
    /// Maximum distance between the center word and a context word (`-window`). Each center
    /// word uses a window drawn uniformly from `1...windowSize` (dynamic window).
    public var windowSize: Int
    /// Negative samples per positive pair (`-negative`), drawn from the unigram distribution
    /// raised to `noisePower`.
    public var negativeSamples: Int
    /// Words occurring fewer times are dropped from the vocabulary (`-min-count`).
    public var minCount: Int
    /// Subsampling threshold `t` (`-sample`): a word of relative frequency `f` is kept with
    /// probability `(√(f/t) + 1)·t/f`; 0 disables subsampling.
    public var sample: Double
    /// Passes over the corpus (`-iter`).
    public var epochs: Int
    /// Worker threads updating the shared matrices lock-free (Hogwild, Recht et al. 2011).
    public var threads: Int
    /// Starting learning rate; nil uses the architecture's default (0.025 skip-gram, 0.05 CBOW).
    public var learningRate: Float?
    /// The learning rate decays linearly to `learningRate × minLearningRateFraction` (word2vec: 1e-4).
    public var minLearningRateFraction: Float
    /// Exponent of the noise distribution `P(w) ∝ count(w)^noisePower` (word2vec: 0.75).
    public var noisePower: Double
    /// Seed of every random choice (initialisation, subsampling, windows, negatives). With one
    /// thread, training is bit-for-bit reproducible for a given seed.
    public var seed: UInt64
    /// How the engine evaluates the sigmoid.
    public var sigmoid: SigmoidEvaluation
    /// Context windows never cross a run of this many kept words (word2vec's MAX_SENTENCE_LENGTH).
    public var maxSentenceLength: Int
    /// How CBOW updates the context rows (ignored by skip-gram).
    public var cbowContextUpdate: CBOWContextUpdate
    /// How skip-gram groups its updates (ignored by CBOW, which already predicts once per window);
    /// HogBatch by default (``SkipGramUpdate/hogBatch``), per-pair to reproduce word2vec.
    public var skipGramUpdate: SkipGramUpdate
    /// The end-of-sentence token the corpus was read with (``CorpusOptions/endOfSentenceMarker``),
    /// if any: windows stop at it and it is never trained on nor drawn as a negative.
    public var endOfSentenceMarker: String?

    public init(architecture: Word2VecArchitecture = .skipGram, dimension: Int = 100, windowSize: Int = 5,
                negativeSamples: Int = 5, minCount: Int = 5, sample: Double = 1e-3, epochs: Int = 5,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, learningRate: Float? = nil,
                minLearningRateFraction: Float = 1e-4, noisePower: Double = 0.75, seed: UInt64 = 1,
                sigmoid: SigmoidEvaluation = .table, maxSentenceLength: Int = 1000,
                endOfSentenceMarker: String? = nil, cbowContextUpdate: CBOWContextUpdate = .word2vec,
                skipGramUpdate: SkipGramUpdate = .hogBatch) {
        self.architecture = architecture
        self.dimension = dimension
        self.windowSize = windowSize
        self.negativeSamples = negativeSamples
        self.minCount = minCount
        self.sample = sample
        self.epochs = epochs
        self.threads = threads
        self.learningRate = learningRate
        self.minLearningRateFraction = minLearningRateFraction
        self.noisePower = noisePower
        self.seed = seed
        self.sigmoid = sigmoid
        self.maxSentenceLength = maxSentenceLength
        self.endOfSentenceMarker = endOfSentenceMarker
        self.cbowContextUpdate = cbowContextUpdate
        self.skipGramUpdate = skipGramUpdate
    }

    /// The starting learning rate actually used.
    public var startingLearningRate: Float { learningRate ?? architecture.defaultLearningRate }

    /// Checks every hyperparameter; throws the first one that is out of range.
    public func validate() throws(Word2VecError) {
        func bad(_ name: String, _ value: Any, _ requirement: String) -> Word2VecError {
            .invalidHyperparameter(name: name, value: "\(value)", requirement: requirement)
        }
        guard dimension >= 1 else { throw bad("dimension", dimension, "must be at least 1") }
        guard windowSize >= 1 else { throw bad("windowSize", windowSize, "must be at least 1") }
        guard negativeSamples >= 1 else { throw bad("negativeSamples", negativeSamples, "must be at least 1") }
        guard minCount >= 1 else { throw bad("minCount", minCount, "must be at least 1") }
        guard sample >= 0, sample.isFinite else { throw bad("sample", sample, "must be a finite number ≥ 0 (0 disables subsampling)") }
        guard epochs >= 1 else { throw bad("epochs", epochs, "must be at least 1") }
        guard threads >= 1 else { throw bad("threads", threads, "must be at least 1") }
        let rate = startingLearningRate
        guard rate > 0, rate.isFinite else { throw bad("learningRate", rate, "must be a finite number > 0") }
        guard minLearningRateFraction >= 0, minLearningRateFraction <= 1 else {
            throw bad("minLearningRateFraction", minLearningRateFraction, "must lie in 0...1")
        }
        guard noisePower.isFinite, noisePower >= 0 else { throw bad("noisePower", noisePower, "must be a finite number ≥ 0") }
        guard maxSentenceLength >= 2 else { throw bad("maxSentenceLength", maxSentenceLength, "must be at least 2") }
    }
}
