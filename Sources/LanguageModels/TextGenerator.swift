import NeuralNetwork
import TensorCore

/// How the next word is chosen from the model's softmax.
public enum GenerationStrategy: Sendable, Equatable {
    /// The most probable word (argmax).
    case greedy
    /// A draw from softmax(scores / temperature), restricted to the `topK` most probable words
    /// when set (Fan, Lewis & Dauphin 2018).
    case sampling(temperature: Float = 1, topK: Int? = nil)
}

/// Text generation with a trained language model (Saitoh 2, §7.1): feed the start words, then
/// repeatedly choose the next word from the softmax and feed it back. Words in the stop list
/// (`<unk>` by default) are never chosen. Seeded: the same seed gives the same text.
public struct TextGenerator {
    public var strategy: GenerationStrategy
    /// Words that are never generated.
    public var stopWords: [String]
    /// The seed of the sampler.
    public var seed: UInt64

    public init(strategy: GenerationStrategy = .sampling(), stopWords: [String] = [LanguageModelCorpus.unknownWord],
                seed: UInt64 = 1) {
        self.strategy = strategy
        self.stopWords = stopWords
        self.seed = seed
    }

    /// `count` words following `start` (which must be in the model's vocabulary).
    /// - Throws: ``LanguageModelError/noStartWords``, ``LanguageModelError/unknownStartWord(_:)``,
    ///   ``LanguageModelError/invalidConfiguration(reason:)`` for a bad temperature or top-k.
    public func generate(_ model: RecurrentLanguageModel, start: [String], count: Int) throws(LanguageModelError) -> [String] {
        guard !start.isEmpty else { throw .noStartWords }
        if case let .sampling(temperature, topK) = strategy {
            guard temperature > 0, temperature.isFinite else {
                throw .invalidConfiguration(reason: "the temperature must be positive, but it is \(temperature)")
            }
            if let topK, topK < 1 { throw .invalidConfiguration(reason: "top-k must be at least 1, but it is \(topK)") }
        }
        guard count >= 0 else { throw .invalidConfiguration(reason: "the number of words must not be negative") }
        var ids: [Int] = []
        for word in start {
            guard let id = model.vocabulary.id(for: word) else { throw .unknownStartWord(word) }
            ids.append(Int(id))
        }
        var blocked = [Bool](repeating: false, count: model.vocabularySize)
        for word in stopWords { if let id = model.vocabulary.id(for: word) { blocked[Int(id)] = true } }
        guard blocked.contains(false) else { throw .invalidConfiguration(reason: "every word of the vocabulary is in the stop list") }

        var generator = SplitMix64(seed: seed)
        model.resetState()
        defer { model.resetState() }
        var scores = model.scores(SequenceBatch(sequence: ids), training: false)
        var output: [String] = []
        for _ in 0..<count {
            let v = model.vocabularySize
            let last = Array(scores.scalars[(scores.count - v)...])
            let next = choose(last, blocked: blocked, using: &generator)
            output.append(model.vocabulary.words[next])
            scores = model.scores(SequenceBatch(sequence: [next]), training: false)
        }
        return output
    }

    /// The next id from one row of scores.
    func choose(_ scores: [Float], blocked: [Bool], using generator: inout SplitMix64) -> Int {
        var candidates = scores.indices.filter { !blocked[$0] }
        switch strategy {
        case .greedy:
            return candidates.max { scores[$0] < scores[$1] }!
        case let .sampling(temperature, topK):
            if let topK, topK < candidates.count {
                candidates.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
                candidates.removeSubrange(topK...)
            }
            let top = candidates.map { scores[$0] }.max()!
            let weights = candidates.map { Double.exp(Double(scores[$0] - top) / Double(temperature)) }
            let total = weights.reduce(0, +)
            var u = generator.nextUnitDouble() * total
            for (k, weight) in weights.enumerated() {
                u -= weight
                if u < 0 { return candidates[k] }
            }
            return candidates.last!
        }
    }
}
