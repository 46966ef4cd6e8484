import NeuralNetwork
import TensorCore
import TextCorpus

/// Word-level corpora for language modelling, read as PTB is used: whitespace tokens, an `<eos>`
/// token at the end of every line, the training corpus's every word in the vocabulary, and words
/// of other corpora outside it mapped to `<unk>`.
public enum LanguageModelCorpus {
    /// The end-of-line token.
    public static let endOfSentence = "<eos>"
    /// The token unknown words become.
    public static let unknownWord = "<unk>"

    /// The tokenisation: whitespace tokens, `<eos>` per line, every word kept.
    public static var options: CorpusOptions { CorpusOptions(endOfSentenceMarker: endOfSentence, minCount: 1) }

    /// Reads the training corpus: its vocabulary (by descending count, `<unk>` appended when the
    /// corpus has none) and its token ids.
    public static func training(path: String, progress: ((ProgressReport) -> Void)? = nil,
                                cancellation: CancellationFlag? = nil) throws(LanguageModelError)
        -> (vocabulary: Vocabulary, ids: [Int]) {
        let corpus: EncodedCorpus
        do {
            corpus = try EncodedCorpus.load(contentsOf: path, options: options, progress: progress, cancellation: cancellation)
        } catch .cancelled {
            throw .cancelled
        } catch {
            throw .corpus(error)
        }
        var vocabulary = corpus.vocabulary
        if !vocabulary.contains(unknownWord) {
            vocabulary = Vocabulary(words: vocabulary.words + [unknownWord], counts: vocabulary.counts + [0])
        }
        return (vocabulary, corpus.ids.map { Int($0) })
    }

    /// Reads another corpus (validation, test) with `vocabulary`; words outside it become `<unk>`.
    /// - Throws: ``LanguageModelError/onlyUnknownWords(path:)`` when no token but `<eos>` is a known word.
    public static func encode(path: String, vocabulary: Vocabulary, progress: ((ProgressReport) -> Void)? = nil,
                              cancellation: CancellationFlag? = nil) throws(LanguageModelError) -> [Int] {
        guard let unknown = vocabulary.id(for: unknownWord) else {
            throw .invalidArchive(reason: "the vocabulary has no \(unknownWord) word")
        }
        let corpus: EncodedCorpus
        do {
            corpus = try EncodedCorpus(vocabulary: vocabulary, ids: [])
                .encoding(contentsOf: path, options: options, progress: progress, cancellation: cancellation)
        } catch .cancelled {
            throw .cancelled
        } catch {
            throw .corpus(error)
        }
        let eos = vocabulary.id(for: endOfSentence).map(Int.init) ?? -2
        var known = 0
        let ids = corpus.ids.map { id -> Int in
            if id < 0 { return Int(unknown) }
            if Int(id) != eos && id != unknown { known += 1 }
            return Int(id)
        }
        if known == 0 { throw .onlyUnknownWords(path: path) }
        return ids
    }

    /// Tokens of `text` (in memory) as ids of `vocabulary` with `<eos>` per line, unknown words as `<unk>`.
    public static func encode(text: String, vocabulary: Vocabulary) -> [Int] {
        let unknown = vocabulary.id(for: unknownWord).map(Int.init) ?? 0
        var ids: [Int] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let words = line.split(whereSeparator: { $0.isWhitespace })
            if words.isEmpty { continue }
            for word in words { ids.append(vocabulary.id(for: String(word)).map(Int.init) ?? unknown) }
            if let eos = vocabulary.id(for: endOfSentence) { ids.append(Int(eos)) }
        }
        return ids
    }
}

/// N parallel streams over a token sequence, read in order in chunks of T steps (Saitoh 2, §5.5.1:
/// "mini-batch data must be input in order"; the layout of PyTorch's word_language_model).
///
/// The corpus is cut into N streams of L = ⌊count / N⌋ tokens starting at offsets 0, L, 2L, ...
/// (the tail of fewer than N tokens is dropped). Chunk k holds, for every stream b, the inputs
/// `ids[b·L + k·T + t]` and the targets one token later, t < T; the last chunk of an epoch may be
/// shorter so that every token but the first of each stream is predicted exactly once.
public struct StreamBatches: Sendable {
    /// The tokens.
    public let ids: [Int]
    /// N.
    public let batchSize: Int
    /// T.
    public let timeSize: Int
    /// L, tokens per stream.
    public let streamLength: Int

    /// - Precondition: at least 2 tokens per stream (checked by callers with a clear error).
    public init(ids: [Int], batchSize: Int, timeSize: Int) {
        self.ids = ids
        self.batchSize = batchSize
        self.timeSize = timeSize
        self.streamLength = ids.count / max(batchSize, 1)
        precondition(streamLength >= 2, "StreamBatches needs at least two tokens per stream.")
    }

    /// The number of tokens a corpus needs for `batchSize` streams.
    public static func minimumTokens(batchSize: Int) -> Int { 2 * batchSize }

    /// The number of chunks in one pass.
    public var chunkCount: Int { (streamLength - 1 + timeSize - 1) / timeSize }

    /// Predicted tokens per pass: N·(L − 1).
    public var predictedTokens: Int { batchSize * (streamLength - 1) }

    /// Chunk `index` as (inputs, targets), both `[N, T']` with T' = T except maybe for the last.
    public func chunk(_ index: Int) -> (inputs: SequenceBatch, targets: SequenceBatch) {
        let start = index * timeSize
        let steps = min(timeSize, streamLength - 1 - start)
        var inputs = [Int](repeating: 0, count: batchSize * steps), targets = inputs
        for b in 0..<batchSize {
            let base = b * streamLength + start
            for t in 0..<steps {
                inputs[b * steps + t] = ids[base + t]
                targets[b * steps + t] = ids[base + t + 1]
            }
        }
        return (SequenceBatch(ids: inputs, batchSize: batchSize, timeSize: steps),
                SequenceBatch(ids: targets, batchSize: batchSize, timeSize: steps))
    }
}
