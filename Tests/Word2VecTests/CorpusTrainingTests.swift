import Foundation
import Testing
import TensorCore
import TextCorpus
@testable import Word2Vec

/// The public entry points over the corpus pipeline's EncodedCorpus and text files.
@Suite("Training on encoded corpora and files")
struct CorpusTrainingTests {
    static func configuration(_ architecture: Word2VecArchitecture = .skipGram, epochs: Int = 25) -> Word2VecConfiguration {
        Word2VecConfiguration(architecture: architecture, dimension: 12, windowSize: 2, negativeSamples: 4,
                              minCount: 1, sample: 0, epochs: epochs, threads: 1, seed: 3, endOfSentenceMarker: "<eos>")
    }

    static func plantedText(seed: UInt64) -> String {
        TestCorpus.planted(sentences: 300, seed: seed).split(separator: "</s>").map { $0.joined(separator: " ") }
            .joined(separator: "\n")
    }

    static func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("w2v-test-\(UInt64.random(in: 0...UInt64.max)).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("an EncodedCorpus with sentence markers trains the planted structure")
    func encodedCorpus() throws {
        let corpus = try EncodedCorpus.encode(text: Self.plantedText(seed: 4),
                                              options: CorpusOptions(endOfSentenceMarker: "<eos>", minCount: 1))
        let model = try Word2VecTrainer(configuration: Self.configuration(.cbow)).train(corpus: corpus)
        #expect(model.vocabulary == corpus.vocabulary)
        #expect(model.nearest(to: "cat", excluding: ["<eos>"]) == "dog")
        #expect(model.nearest(to: "truck", excluding: ["<eos>"]) == "car")
        // every in-vocabulary token but the 300 markers is read, each epoch
        #expect(model.lastTraining.trainedWords == 25 * (corpus.tokenCount - 300))
        #expect(model.lastTraining.rawWords == 25 * corpus.tokenCount)
    }

    @Test("a text file trains, and continued training on another file adds its new words")
    func files() throws {
        let first = try Self.temporaryFile(Self.plantedText(seed: 4))
        let second = try Self.temporaryFile(Self.plantedText(seed: 7).replacingOccurrences(of: "truck", with: "lorry"))
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        let options = CorpusOptions(endOfSentenceMarker: "<eos>")
        var model = try Word2VecTrainer(configuration: Self.configuration()).train(contentsOf: first, options: options)
        let before = model.vocabulary
        try model.continueTraining(contentsOf: second, options: options)
        #expect(Array(model.words.prefix(before.count)) == before.words)
        #expect(model.words.last == "lorry")
        #expect(model.inputVectors.shape == [before.count + 1, 12])
        let car = try #require(model.vocabulary.id(for: "car"))
        #expect(model.counts[Int(car)] > before.counts[Int(car)])
        #expect(TestCorpus.cosine(model.vector("lorry"), model.vector("car"))
                > TestCorpus.cosine(model.vector("lorry"), model.vector("cat")) + 0.3)
    }

    @Test("a missing file is a corpus error")
    func missingFile() {
        #expect(throws: Word2VecError.corpus(.fileNotFound(path: "/nonexistent/w2v.txt"))) {
            try Word2VecTrainer(configuration: Self.configuration()).train(contentsOf: "/nonexistent/w2v.txt")
        }
    }

    @Test("no word reaching min-count is an empty-vocabulary error, from text and from a corpus")
    func emptyVocabulary() throws {
        let path = try Self.temporaryFile("a b c a")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = Self.configuration()
        configuration.minCount = 3
        #expect(throws: Word2VecError.emptyVocabulary(minCount: 3)) {
            try Word2VecTrainer(configuration: configuration).train(contentsOf: path)
        }
        let corpus = try EncodedCorpus.encode(text: "a b c a", options: CorpusOptions(minCount: 1))
        #expect(throws: Word2VecError.emptyVocabulary(minCount: 3)) {
            try Word2VecTrainer(configuration: configuration).train(corpus: corpus)
        }
    }

    @Test("hyperparameters are checked before a file is read")
    func validatesFirst() {
        var configuration = Self.configuration()
        configuration.negativeSamples = 0
        #expect(throws: Word2VecError.invalidHyperparameter(name: "negativeSamples", value: "0", requirement: "must be at least 1")) {
            try Word2VecTrainer(configuration: configuration).train(contentsOf: "/nonexistent/w2v.txt")
        }
    }

    /// A learning rate far too high makes the weights overflow: training stops with `diverged`
    /// (issue 12: the sigmoid table lookup trapped on NaN before), for every update rule and for
    /// both exact and table sigmoids.
    @Test(arguments: [(Word2VecArchitecture.skipGram, SkipGramUpdate.perPair), (.skipGram, .hogBatch), (.cbow, .perPair)])
    func aDivergingRunStopsWithAClearError(architecture: Word2VecArchitecture, update: SkipGramUpdate) throws {
        let corpus = try EncodedCorpus.encode(text: Self.plantedText(seed: 4),
                                              options: CorpusOptions(endOfSentenceMarker: "<eos>", minCount: 1))
        for sigmoid in [SigmoidEvaluation.table, .exact] {
            var configuration = Self.configuration(architecture, epochs: 200)
            configuration.learningRate = 1e6
            configuration.skipGramUpdate = update
            configuration.sigmoid = sigmoid
            let error = #expect(throws: Word2VecError.self) {
                try Word2VecTrainer(configuration: configuration).train(corpus: corpus)
            }
            guard case let .diverged(fraction, rate)? = error else {
                Issue.record("expected diverged, got \(String(describing: error))")
                continue
            }
            #expect(fraction >= 0 && fraction < 1)
            #expect(rate == 1e6)
        }
        #expect(Word2VecError.diverged(fraction: 0.064, learningRate: 0.5).description.hasPrefix(
            "Training diverged: the loss became NaN or infinite at 6.4% of training with a starting learning rate of 0.5;"))
    }
}
