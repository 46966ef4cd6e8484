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
    /// The vocabulary, one word per matrix row.
    public internal(set) var words: [String]
    /// Corpus counts of the words (summed over every corpus the model was trained on).
    public internal(set) var counts: [Int]
    /// W_in, `[words.count, dimension]`.
    public internal(set) var inputVectors: Tensor
    /// W_out, `[words.count, dimension]`.
    public internal(set) var outputVectors: Tensor
    /// Figures of the latest training run.
    public internal(set) var lastTraining: Word2VecTrainingSummary

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

    /// Trains the model further on `input`: words new to the model (with at least
    /// `configuration.minCount` occurrences in the new text) are appended with fresh random input
    /// rows and zero output rows, counts are merged, and the learning-rate schedule restarts from
    /// the configured rate. The configuration's dimension must equal the model's.
    mutating func continueTraining(on input: TrainingInput, configuration: Word2VecConfiguration,
                                   progress: (@Sendable (TrainingProgress) -> Void)?,
                                   cancellation: CancellationFlag?) throws(Word2VecError) {
        try configuration.validate()
        guard configuration.dimension == dimension else {
            throw .dimensionMismatch(model: dimension, configuration: configuration.dimension)
        }
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

        let d = dimension
        let added = mergedWords.count - words.count
        var random = SplitMix64(seed: configuration.seed ^ UInt64(words.count))
        var inputRows = inputVectors.scalars
        inputRows.append(contentsOf: Word2VecTrainer.initialInputRows(added, dimension: d, using: &random))
        var outputRows = outputVectors.scalars
        outputRows.append(contentsOf: [Float](repeating: 0, count: added * d))
        let (trainedInput, trainedOutput, summary) = try Word2VecTrainer.run(
            configuration: configuration, data: data, input: inputRows, output: outputRows,
            progress: progress, cancellation: cancellation)
        self.configuration = configuration
        self.words = mergedWords
        self.counts = mergedCounts
        self.inputVectors = trainedInput
        self.outputVectors = trainedOutput
        self.lastTraining = summary
    }
}
