import Testing
import Synchronization
import TensorCore
import TextCorpus
@testable import Word2Vec

@Suite("Training engine")
struct EngineTests {
    static func tiny(_ architecture: Word2VecArchitecture, epochs: Int = 30, seed: UInt64 = 1,
                     threads: Int = 1, update: SkipGramUpdate = .perPair) -> Word2VecConfiguration {
        Word2VecConfiguration(architecture: architecture, dimension: 12, windowSize: 2, negativeSamples: 4,
                              minCount: 1, sample: 0, epochs: epochs, threads: threads, seed: seed,
                              skipGramUpdate: update)
    }

    /// Every path through the engine: skip-gram per pair, skip-gram HogBatch, CBOW.
    static let paths: [(Word2VecArchitecture, SkipGramUpdate)] = [(.skipGram, .perPair), (.skipGram, .hogBatch), (.cbow, .perPair)]

    @Test("words in identical contexts become nearest neighbours", arguments: paths)
    func plantedStructure(architecture: Word2VecArchitecture, update: SkipGramUpdate) throws {
        let input = TestCorpus.input(TestCorpus.planted(sentences: 300, seed: 4), boundary: "</s>")
        let model = try Word2VecTrainer(configuration: Self.tiny(architecture, update: update))
            .train(input, progress: nil, cancellation: nil)
        #expect(model.nearest(to: "cat", excluding: ["</s>"]) == "dog")
        #expect(model.nearest(to: "dog", excluding: ["</s>"]) == "cat")
        #expect(model.nearest(to: "car", excluding: ["</s>"]) == "truck")
        #expect(model.nearest(to: "truck", excluding: ["</s>"]) == "car")
        #expect(TestCorpus.cosine(model.vector("cat"), model.vector("dog"))
                > TestCorpus.cosine(model.vector("cat"), model.vector("car")) + 0.3)
        let losses = model.lastTraining.epochLosses
        #expect(losses.count == 30 && losses.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(losses.last! < 0.8 * losses.first!)
    }

    @Test("seeded single-thread runs are bit-reproducible", arguments: paths)
    func reproducible(architecture: Word2VecArchitecture, update: SkipGramUpdate) throws {
        var configuration = Self.tiny(architecture, epochs: 3, update: update)
        configuration.sample = 0.01
        let input = TestCorpus.input(TestCorpus.planted(sentences: 100, seed: 8), boundary: "</s>")
        let a = try Word2VecTrainer(configuration: configuration).train(input, progress: nil, cancellation: nil)
        let b = try Word2VecTrainer(configuration: configuration).train(input, progress: nil, cancellation: nil)
        #expect(a.inputVectors == b.inputVectors)
        #expect(a.outputVectors == b.outputVectors)
        #expect(a.lastTraining.meanLoss == b.lastTraining.meanLoss)
        configuration.seed = 2
        let c = try Word2VecTrainer(configuration: configuration).train(input, progress: nil, cancellation: nil)
        #expect(c.inputVectors != a.inputVectors)
    }

    @Test("HogBatch and per-pair skip-gram make the same number of predictions, differently")
    func hogBatchCountsPairs() throws {
        let input = TestCorpus.input(TestCorpus.planted(sentences: 50, seed: 9), boundary: "</s>")
        var configuration = Self.tiny(.skipGram, epochs: 1)
        configuration.windowSize = 1
        let perPair = try Word2VecTrainer(configuration: configuration).train(input, progress: nil, cancellation: nil)
        configuration.skipGramUpdate = .hogBatch
        let hogBatch = try Word2VecTrainer(configuration: configuration).train(input, progress: nil, cancellation: nil)
        // Window 1 is never shrunk, so both paths see the same pairs (every adjacent pair inside a
        // sentence, both ways). The loss is per pair in both: about (1 + 4)·log 2 ≈ 3.5 at the
        // start, and it would be twice that if HogBatch counted windows instead of pairs.
        #expect(perPair.lastTraining.keptWords == hogBatch.lastTraining.keptWords)
        #expect(perPair.inputVectors != hogBatch.inputVectors)
        #expect(abs(perPair.lastTraining.epochLosses[0] - hogBatch.lastTraining.epochLosses[0]) < 0.2)
    }

    @Test("several Hogwild threads train the same model shape")
    func multithreaded() throws {
        let input = TestCorpus.input(TestCorpus.planted(sentences: 400, seed: 6), boundary: "</s>")
        let model = try Word2VecTrainer(configuration: Self.tiny(.skipGram, epochs: 20, threads: 3))
            .train(input, progress: nil, cancellation: nil)
        #expect(model.inputVectors.shape == [input.words.count, 12])
        #expect(model.inputVectors.scalars.allSatisfy { $0.isFinite })
        #expect(model.lastTraining.trainedWords == 20 * (input.ids.count - 400))
        #expect(model.nearest(to: "cat", excluding: ["</s>"]) == "dog")
    }

    @Test("subsampling keeps each word with probability (√(f/t)+1)·t/f")
    func subsamplingKeepRates() throws {
        // "the" is 90% of the corpus, the ten rare words 1% each.
        var tokens: [String] = []
        var random = SplitMix64(seed: 12)
        for _ in 0..<20_000 {
            tokens.append(random.nextIndex(below: 10) == 0 ? "w\(random.nextIndex(below: 10))" : "the")
        }
        let input = TestCorpus.input(tokens)
        let sample = 1e-2
        let keep = Word2VecTrainer.keepProbabilities(counts: input.counts, sample: sample)
        let theCount = Double(input.counts[0]), total = Double(tokens.count)
        let expectedThe = ((theCount / (sample * total)).squareRoot() + 1) * sample * total / theCount
        #expect(abs(Double(keep[0]) - expectedThe) < 1e-6)
        #expect(keep.dropFirst().allSatisfy { $0 == 1 })
        #expect(Word2VecTrainer.keepProbabilities(counts: input.counts, sample: 0).allSatisfy { $0 == 1 })

        var configuration = Self.tiny(.cbow, epochs: 2)
        configuration.sample = sample
        let model = try Word2VecTrainer(configuration: configuration).train(input, progress: nil, cancellation: nil)
        let rare = 2 * (tokens.count - input.counts[0])
        let expectedKept = Double(rare) + 2 * theCount * expectedThe
        let kept = Double(model.lastTraining.keptWords)
        #expect(abs(kept - expectedKept) < 5 * (2 * theCount * expectedThe * (1 - expectedThe)).squareRoot())
        #expect(model.lastTraining.trainedWords == 2 * tokens.count)
    }

    @Test("min-count drops rare words and renumbers the rest")
    func minCount() throws {
        let input = TestCorpus.input(["a", "b", "a", "c", "a", "b", "d"])
        let filtered = try input.applyingMinCount(2)
        #expect(filtered.words == ["a", "b"])
        #expect(filtered.counts == [3, 2])
        #expect(filtered.ids == [0, 1, 0, -1, 0, 1, -1])
        #expect(throws: Word2VecError.emptyVocabulary(minCount: 4)) { try input.applyingMinCount(4) }
        var configuration = Self.tiny(.skipGram)
        configuration.minCount = 10
        #expect(throws: Word2VecError.emptyVocabulary(minCount: 10)) {
            try Word2VecTrainer(configuration: configuration).train(input, progress: nil, cancellation: nil)
        }
    }

    @Test("a corpus with no in-vocabulary token is an error")
    func emptyCorpus() {
        let input = TrainingInput(words: ["a"], counts: [5], ids: [-1, -1], sentenceBoundary: nil)
        #expect(throws: Word2VecError.emptyCorpus) {
            try Word2VecTrainer(configuration: Self.tiny(.skipGram)).train(input, progress: nil, cancellation: nil)
        }
    }

    @Test("bad hyperparameters stop training before it starts")
    func badConfiguration() {
        let input = TestCorpus.input(["a", "b", "a"])
        var configuration = Self.tiny(.skipGram)
        configuration.dimension = 0
        #expect(throws: Word2VecError.invalidHyperparameter(name: "dimension", value: "0", requirement: "must be at least 1")) {
            try Word2VecTrainer(configuration: configuration).train(input, progress: nil, cancellation: nil)
        }
    }

    @Test("a cancelled run throws cancelled")
    func cancellation() {
        let flag = CancellationFlag()
        flag.cancel()
        let input = TestCorpus.input(TestCorpus.planted(sentences: 50, seed: 1))
        #expect(throws: Word2VecError.cancelled) {
            try Word2VecTrainer(configuration: Self.tiny(.skipGram)).train(input, progress: nil, cancellation: flag)
        }
    }

    @Test("progress ends at 100% with the floor learning rate and a finite loss")
    func progress() throws {
        let reports = Mutex<[TrainingProgress]>([])
        let input = TestCorpus.input(TestCorpus.planted(sentences: 100, seed: 3), boundary: "</s>")
        let configuration = Self.tiny(.cbow, epochs: 2)
        _ = try Word2VecTrainer(configuration: configuration).train(input, progress: { report in
            reports.withLock { $0.append(report) }
        }, cancellation: nil)
        let all = reports.withLock { $0 }
        let last = try #require(all.last)
        #expect(last.fraction == 1)
        #expect(last.stage == "training")
        #expect(last.processedWords == 2 * input.ids.count)
        #expect(try #require(last.loss).isFinite)
        let rate = try #require(last.learningRate)
        #expect(rate < 0.05 * 0.01)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.fraction <= $1.fraction })
    }
}
