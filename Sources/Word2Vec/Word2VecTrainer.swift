import TensorCore
import TextCorpus
import Embeddings

/// A tokenized corpus as the engine sees it: a vocabulary (ids are row numbers) and every token's id.
struct TrainingInput: Sendable {
    var words: [String]
    var counts: [Int]
    /// One id per corpus token; negative ids are out of vocabulary and skipped.
    var ids: [Int32]
    /// The id of the end-of-sentence marker, if the vocabulary has one: windows stop there.
    var sentenceBoundary: Int32?

    /// Drops words seen fewer than `minCount` times, renumbering the survivors in order.
    func applyingMinCount(_ minCount: Int) throws(Word2VecError) -> TrainingInput {
        let keep = counts.map { $0 >= minCount }
        guard keep.contains(true) else { throw .emptyVocabulary(minCount: minCount) }
        if !keep.contains(false) { return self }
        var remap = [Int32](repeating: -1, count: words.count)
        var kept = TrainingInput(words: [], counts: [], ids: [], sentenceBoundary: nil)
        for i in words.indices where keep[i] {
            remap[i] = Int32(kept.words.count)
            kept.words.append(words[i])
            kept.counts.append(counts[i])
        }
        kept.ids = ids.map { $0 >= 0 && Int($0) < remap.count ? remap[Int($0)] : -1 }
        if let boundary = sentenceBoundary, boundary >= 0, Int(boundary) < remap.count, remap[Int(boundary)] >= 0 {
            kept.sentenceBoundary = remap[Int(boundary)]
        }
        return kept
    }
}

extension TrainingInput {
    /// The engine's view of an encoded corpus.
    init(_ corpus: EncodedCorpus, endOfSentenceMarker: String?) {
        words = corpus.vocabulary.words
        counts = corpus.vocabulary.counts
        ids = corpus.ids
        sentenceBoundary = endOfSentenceMarker.flatMap { corpus.vocabulary.id(for: $0) }
    }
}

/// Trains word2vec (skip-gram or CBOW with negative sampling) on an encoded corpus.
///
/// The engine runs per-pair stochastic gradient descent with a linearly decaying learning rate,
/// subsampling of frequent words and dynamic windows, on ``Word2VecConfiguration/threads``
/// workers that update the shared matrices lock-free (Hogwild). It computes exactly the model of
/// the reference layers ``SkipGram`` and ``CBOW`` (checked by the tests), just faster.
///
/// Mikolov, Chen, Corrado & Dean 2013, "Efficient Estimation of Word Representations in Vector
/// Space"; Mikolov, Sutskever, Chen, Corrado & Dean 2013, "Distributed Representations of Words
/// and Phrases and their Compositionality".
public struct Word2VecTrainer: Sendable {
    public var configuration: Word2VecConfiguration

    public init(configuration: Word2VecConfiguration = Word2VecConfiguration()) {
        self.configuration = configuration
    }

    /// Trains a new model on `corpus`.
    ///
    /// Words of the corpus's vocabulary seen fewer than ``Word2VecConfiguration/minCount`` times
    /// are dropped (tokens out of the vocabulary are skipped, as word2vec drops rare words).
    /// Input vectors start uniform in `±0.5/dimension`, output vectors at zero, as in word2vec.
    /// `progress` is called from a worker thread about four times a second, and once at the end.
    /// - Throws: ``Word2VecError``: invalid hyperparameters, an empty vocabulary after min-count,
    ///   a corpus without in-vocabulary tokens, or cancellation.
    public func train(corpus: EncodedCorpus, progress: (@Sendable (TrainingProgress) -> Void)? = nil,
                      cancellation: CancellationFlag? = nil) throws(Word2VecError) -> Word2VecModel {
        try train(TrainingInput(corpus, endOfSentenceMarker: configuration.endOfSentenceMarker),
                  progress: progress, cancellation: cancellation)
    }

    /// Reads the UTF-8 text file at `path` (tokenised with `options`, whose min-count is replaced
    /// by the configuration's) and trains a new model on it.
    public func train(contentsOf path: String, options: CorpusOptions = CorpusOptions(),
                      progress: (@Sendable (TrainingProgress) -> Void)? = nil,
                      cancellation: CancellationFlag? = nil) throws(Word2VecError) -> Word2VecModel {
        try configuration.validate()
        var options = options
        options.minCount = configuration.minCount
        let corpus: EncodedCorpus
        do {
            corpus = try EncodedCorpus.load(contentsOf: path, options: options, progress: progress, cancellation: cancellation)
        } catch .cancelled {
            throw .cancelled
        } catch .noWordsAfterMinCount(let minCount, _) {
            throw .emptyVocabulary(minCount: minCount)
        } catch {
            throw .corpus(error)
        }
        return try train(corpus: corpus, progress: progress, cancellation: cancellation)
    }

    /// Trains a new model on `input`; input vectors start uniform in `±0.5/dimension`, output
    /// vectors at zero (as in word2vec).
    func train(_ input: TrainingInput, progress: (@Sendable (TrainingProgress) -> Void)?,
               cancellation: CancellationFlag?) throws(Word2VecError) -> Word2VecModel {
        try configuration.validate()
        let data = try input.applyingMinCount(configuration.minCount)
        let dimension = configuration.dimension
        var random = SplitMix64(seed: configuration.seed)
        let inputMatrix = Word2VecTrainer.initialInputRows(data.words.count, dimension: dimension, using: &random)
        let outputMatrix = [Float](repeating: 0, count: data.words.count * dimension)
        let (trainedInput, trainedOutput, summary) = try Word2VecTrainer.run(
            configuration: configuration, data: data, input: inputMatrix, output: outputMatrix,
            progress: progress, cancellation: cancellation)
        return Word2VecModel(configuration: configuration,
                             vocabulary: Vocabulary(words: data.words, counts: data.counts),
                             inputVectors: trainedInput, outputVectors: trainedOutput, lastTraining: summary)
    }

    /// `rows × dimension` values uniform in `[-0.5/dimension, 0.5/dimension)`.
    static func initialInputRows(_ rows: Int, dimension: Int, using random: inout SplitMix64) -> [Float] {
        let scale = 1 / Float(dimension)
        var values = [Float](repeating: 0, count: rows * dimension)
        for i in values.indices { values[i] = (random.nextUnitFloat() - 0.5) * scale }
        return values
    }

    /// The word2vec keep probability `min(1, (√(f/t) + 1)·t/f)` of each word (``Subsampler``).
    static func keepProbabilities(counts: [Int], sample: Double) -> [Float] {
        Subsampler(counts: counts, threshold: sample).keepProbabilities
    }

    /// Runs the engine from the given starting matrices (row-major `[words, dimension]`).
    static func run(configuration: Word2VecConfiguration, data: TrainingInput, input: [Float], output: [Float],
                    progress: (@Sendable (TrainingProgress) -> Void)?,
                    cancellation: CancellationFlag?) throws(Word2VecError) -> (Tensor, Tensor, Word2VecTrainingSummary) {
        let boundary = data.sentenceBoundary ?? -1
        var wordsPerEpoch = 0
        for id in data.ids where id >= 0 && id != boundary { wordsPerEpoch += 1 }
        guard wordsPerEpoch > 0 else { throw .emptyCorpus }
        var noiseCounts = data.counts
        if boundary >= 0, noiseCounts.indices.contains(Int(boundary)), noiseCounts.count > 1 {
            noiseCounts[Int(boundary)] = 0
        }
        let sampler = try UnigramSampler(counts: noiseCounts, power: configuration.noisePower)
        let engine = TrainingEngine(
            configuration: configuration, ids: data.ids,
            keepProbabilities: keepProbabilities(counts: data.counts, sample: configuration.sample),
            sampler: sampler, wordsPerEpoch: wordsPerEpoch, sentenceBoundary: data.sentenceBoundary)
        let rows = data.words.count
        let matrices = SharedMatrices(input: input, output: output, rows: rows, dimension: configuration.dimension)
        let summary = try engine.run(matrices, progress: progress, cancellation: cancellation)
        let shape = [rows, configuration.dimension]
        return (Tensor(shape: shape, scalars: matrices.inputScalars()),
                Tensor(shape: shape, scalars: matrices.outputScalars()), summary)
    }
}
