import TensorCore
import TextCorpus
import Embeddings

/// A trained word2vec model: the vocabulary and both embedding matrices.
///
/// `inputVectors` (W_in, the rows looked up for the center word in skip-gram or the context in
/// CBOW) are the usual word vectors; `outputVectors` (W_out, the negative-sampling weights) are
/// available too, as is their sum. Both are `[vocabularySize, dimension]`.
public struct Word2VecModel: Sendable {
    /// Which matrix ``wordVectors(_:)`` returns.
    public enum VectorSet: String, Sendable, CaseIterable {
        /// W_in (word2vec's output file).
        case input
        /// W_out, the context/negative-sampling vectors.
        case output
        /// W_in + W_out.
        case sum
    }

    /// The settings of the latest training run.
    public internal(set) var configuration: Word2VecConfiguration
    /// The vocabulary, one word per matrix row, with corpus counts summed over every corpus the
    /// model was trained on.
    public internal(set) var vocabulary: Vocabulary
    /// W_in, `[words.count, dimension]`.
    public internal(set) var inputVectors: Tensor
    /// W_out, `[words.count, dimension]`.
    public internal(set) var outputVectors: Tensor
    /// Figures of the latest training run.
    public internal(set) var lastTraining: Word2VecTrainingSummary

    /// A model from stored parts (e.g. to continue training a saved model).
    /// - Throws: ``Word2VecError/matrixShapeMismatch(expected:input:output:)`` unless both
    ///   matrices are `[vocabulary.count, configuration.dimension]`.
    public init(configuration: Word2VecConfiguration, vocabulary: Vocabulary, inputVectors: Tensor,
                outputVectors: Tensor) throws(Word2VecError) {
        let expected = [vocabulary.count, configuration.dimension]
        guard inputVectors.shape == expected, outputVectors.shape == expected else {
            throw .matrixShapeMismatch(expected: expected, input: inputVectors.shape, output: outputVectors.shape)
        }
        self.init(configuration: configuration, vocabulary: vocabulary, inputVectors: inputVectors,
                  outputVectors: outputVectors, lastTraining: Word2VecTrainingSummary())
    }

    init(configuration: Word2VecConfiguration, vocabulary: Vocabulary, inputVectors: Tensor, outputVectors: Tensor,
         lastTraining: Word2VecTrainingSummary) {
        self.configuration = configuration
        self.vocabulary = vocabulary
        self.inputVectors = inputVectors
        self.outputVectors = outputVectors
        self.lastTraining = lastTraining
    }

    /// The words, one per matrix row.
    public var words: [String] { vocabulary.words }
    /// The corpus counts of the words.
    public var counts: [Int] { vocabulary.counts }

    /// The vector length.
    public var dimension: Int { inputVectors.shape[1] }

    /// The chosen matrix as ``WordVectors`` (the result type every trainer of w2v returns).
    public func wordVectors(_ set: VectorSet = .input) -> WordVectors {
        let matrix: Tensor
        switch set {
        case .input: matrix = inputVectors
        case .output: matrix = outputVectors
        case .sum:
            var sum = inputVectors
            for i in 0..<sum.count { sum.scalars[i] += outputVectors.scalars[i] }
            matrix = sum
        }
        do {
            return try WordVectors(words: words, vectors: matrix, counts: counts)
        } catch {
            preconditionFailure("A word2vec model always has distinct words and one row per word: \(error)")
        }
    }

    /// Trains the model further on `corpus` (incremental training).
    ///
    /// Words of `corpus` the model already knows keep their rows and have their counts added;
    /// new words with at least `configuration.minCount` occurrences in `corpus` are appended with
    /// fresh random input rows and zero output rows; other tokens are skipped. The learning-rate
    /// schedule restarts from the configured rate. `configuration` (default: the model's) must
    /// have the model's dimension.
    /// - Throws: ``Word2VecError``, as ``Word2VecTrainer/train(corpus:progress:cancellation:)``, or
    ///   ``Word2VecError/dimensionMismatch(model:configuration:)``.
    public mutating func continueTraining(on corpus: EncodedCorpus, configuration: Word2VecConfiguration? = nil,
                                          progress: (@Sendable (TrainingProgress) -> Void)? = nil,
                                          cancellation: CancellationFlag? = nil) throws(Word2VecError) {
        let configuration = configuration ?? self.configuration
        try continueTraining(on: TrainingInput(corpus, endOfSentenceMarker: configuration.endOfSentenceMarker),
                             configuration: configuration, progress: progress, cancellation: cancellation)
    }

    /// Reads the text file at `path` with the model's vocabulary, grown by the new words that
    /// occur at least `configuration.minCount` times in it, and trains the model further on it
    /// (see ``continueTraining(on:configuration:progress:cancellation:)``). `path` is read as
    /// ``EncodedCorpus/load(contentsOf:options:chunkSize:progress:cancellation:)`` reads it (a
    /// text, gzip or xz file, a directory, `-`); returns what was read, to record with the model.
    @discardableResult
    public mutating func continueTraining(contentsOf path: String, options: CorpusOptions = CorpusOptions(),
                                          configuration: Word2VecConfiguration? = nil,
                                          progress: (@Sendable (TrainingProgress) -> Void)? = nil,
                                          cancellation: CancellationFlag? = nil) throws(Word2VecError) -> CorpusSource {
        let configuration = configuration ?? self.configuration
        try configuration.validate()
        var options = options
        options.minCount = configuration.minCount
        let grown: EncodedCorpus
        let source: CorpusSource
        do {
            (grown, source) = try EncodedCorpus(vocabulary: vocabulary, ids: [])
                .encodingWithSource(contentsOf: path, options: options, growVocabulary: true, progress: progress,
                                    cancellation: cancellation)
        } catch .cancelled {
            throw .cancelled
        } catch {
            throw .corpus(error)
        }
        // The grown vocabulary already extends the model's and holds the merged counts.
        let input = TrainingInput(grown, endOfSentenceMarker: configuration.endOfSentenceMarker)
        try train(merged: input, configuration: configuration, progress: progress, cancellation: cancellation)
        return source
    }

    /// Continues on a corpus with its own vocabulary: merges it into the model's by word.
    mutating func continueTraining(on input: TrainingInput, configuration: Word2VecConfiguration,
                                   progress: (@Sendable (TrainingProgress) -> Void)?,
                                   cancellation: CancellationFlag?) throws(Word2VecError) {
        try configuration.validate()
        let words = self.words, counts = self.counts
        var index = [String: Int32](minimumCapacity: words.count + input.words.count)
        for (i, w) in words.enumerated() { index[w] = Int32(i) }
        var mergedWords = words
        var mergedCounts = counts
        var remap = [Int32](repeating: -1, count: input.words.count)
        for (i, word) in input.words.enumerated() {
            if let existing = index[word] {
                remap[i] = existing
                mergedCounts[Int(existing)] += input.counts[i]
            } else if input.counts[i] >= configuration.minCount {
                let id = Int32(mergedWords.count)
                index[word] = id
                remap[i] = id
                mergedWords.append(word)
                mergedCounts.append(input.counts[i])
            }
        }
        let ids = input.ids.map { $0 >= 0 && Int($0) < remap.count ? remap[Int($0)] : -1 }
        var boundary: Int32?
        if let b = input.sentenceBoundary, b >= 0, Int(b) < remap.count, remap[Int(b)] >= 0 { boundary = remap[Int(b)] }
        let data = TrainingInput(words: mergedWords, counts: mergedCounts, ids: ids, sentenceBoundary: boundary)
        try train(merged: data, configuration: configuration, progress: progress, cancellation: cancellation)
    }

    /// Trains on `data`, whose first words are the model's (same order), followed by new ones.
    mutating func train(merged data: TrainingInput, configuration: Word2VecConfiguration,
                        progress: (@Sendable (TrainingProgress) -> Void)?,
                        cancellation: CancellationFlag?) throws(Word2VecError) {
        try configuration.validate()
        guard configuration.dimension == dimension else {
            throw .dimensionMismatch(model: dimension, configuration: configuration.dimension)
        }
        precondition(data.words.count >= words.count && Array(data.words.prefix(words.count)) == words,
                     "A merged vocabulary must start with the model's words.")
        let d = dimension
        let added = data.words.count - words.count
        var random = SplitMix64(seed: configuration.seed ^ UInt64(words.count))
        var inputRows = inputVectors.scalars
        inputRows.append(contentsOf: Word2VecTrainer.initialInputRows(added, dimension: d, using: &random))
        var outputRows = outputVectors.scalars
        outputRows.append(contentsOf: [Float](repeating: 0, count: added * d))
        let (trainedInput, trainedOutput, summary) = try Word2VecTrainer.run(
            configuration: configuration, data: data, input: inputRows, output: outputRows,
            progress: progress, cancellation: cancellation)
        self.configuration = configuration
        self.vocabulary = Vocabulary(words: data.words, counts: data.counts)
        self.inputVectors = trainedInput
        self.outputVectors = trainedOutput
        self.lastTraining = summary
    }
}
