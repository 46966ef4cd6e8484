import Foundation
import Testing
@testable import LanguageModels
import NeuralNetwork
import TensorCore
import TextCorpus

/// A small vocabulary of `count` words w0, w1, ... plus `<unk>`.
func testVocabulary(_ count: Int) -> Vocabulary {
    Vocabulary(words: (0..<count).map { "w\($0)" } + [LanguageModelCorpus.unknownWord],
               counts: [Int](repeating: 1, count: count) + [0])
}

let gradientTolerance = 2e-2

func tinyConfiguration(layers: Int = 1, tie: Bool = false) -> LanguageModelConfiguration {
    var c = LanguageModelConfiguration()
    c.layers = layers
    c.embeddingSize = 8
    c.hiddenSize = 8
    c.timeSize = 5
    c.batchSize = 2
    c.tieWeights = tie
    c.seed = 3
    return c
}

/// A temporary file holding `text`, removed by the caller.
func temporaryFile(_ text: String) throws -> String {
    let path = NSTemporaryDirectory() + "lm-test-\(UUID().uuidString).txt"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("Language models")
struct LanguageModelTests {
    @Test func streamsAreReadInOrderAtOffsetsOfLengthOverN() {
        let batches = StreamBatches(ids: Array(0..<21), batchSize: 2, timeSize: 4)
        #expect(batches.streamLength == 10)
        #expect(batches.chunkCount == 3)
        #expect(batches.predictedTokens == 18)
        let (x0, y0) = batches.chunk(0)
        #expect(x0.ids == [0, 1, 2, 3, 10, 11, 12, 13])
        #expect(y0.ids == [1, 2, 3, 4, 11, 12, 13, 14])
        let (x2, y2) = batches.chunk(2)
        #expect(x2.timeSize == 1 && x2.ids == [8, 18] && y2.ids == [9, 19])
        var predicted = 0
        for k in 0..<batches.chunkCount { predicted += batches.chunk(k).targets.ids.count }
        #expect(predicted == batches.predictedTokens)
    }

    /// The whole model (two stacked LSTMs, tied weights) against numerical gradients.
    @Test(arguments: [false, true])
    func wholeModelGradientCheck(tie: Bool) throws {
        let model = try RecurrentLanguageModel(configuration: tinyConfiguration(layers: 2, tie: tie), vocabulary: testVocabulary(6))
        for p in model.parameters { p.value = p.value * 2 }  // larger weights: gradients well above rounding noise
        let inputs = SequenceBatch(ids: [0, 1, 2, 3, 4, 5, 6, 0], batchSize: 2, timeSize: 4)
        let targets = SequenceBatch(ids: [1, 2, 3, 4, 5, 6, 0, 1], batchSize: 2, timeSize: 4)
        let result = GradientCheck.compare(
            inputs: [], parameters: model.parameters,
            objective: { _ in
                model.resetState()
                _ = model.loss(inputs: inputs, targets: targets, training: true)
                return model.lastLoss
            },
            analytic: { _ in
                model.resetState()
                _ = model.loss(inputs: inputs, targets: targets, training: true)
                model.backward()
                return []
            })
        #expect(result.parameterErrors.count == (tie ? 8 : 9))
        #expect(result.maxRelativeError < gradientTolerance, "\(result)")
    }

    @Test func tyingKeepsOneParameter() throws {
        let tied = try RecurrentLanguageModel(configuration: tinyConfiguration(layers: 2, tie: true), vocabulary: testVocabulary(6))
        #expect(tied.output.weight === tied.embedding.weight)
        #expect(tied.parameters.count == 1 + 6 + 1)
        #expect(!tied.namedTensors.map(\.name).contains("output.W"))
        let untied = try RecurrentLanguageModel(configuration: tinyConfiguration(layers: 2), vocabulary: testVocabulary(6))
        #expect(untied.parameters.count == tied.parameters.count + 1)
        #expect(untied.parameterCount == tied.parameterCount + 8 * 7)
        var bad = tinyConfiguration(tie: true)
        bad.hiddenSize = 9
        #expect(throws: LanguageModelError.self) { try bad.validate() }
    }

    @Test func initialisationFollowsTheConfiguration() throws {
        // The book's: N(0, 1/fan-in) weights, N(0, 0.01²) embedding, zero biases (rnnlm and better).
        var book = tinyConfiguration()
        book.embeddingSize = 64
        book.hiddenSize = 64
        #expect(LanguageModelConfiguration.rnnlm.initialization == .scaledNormal)
        #expect(LanguageModelConfiguration.better.initialization == .scaledNormal)
        #expect(LanguageModelConfiguration.small.initialization == .uniform(limit: 0.1))
        func deviation(_ t: Tensor) -> Double {
            let mean = t.scalars.reduce(0.0) { $0 + Double($1) } / Double(t.count)
            return (t.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(t.count)).squareRoot()
        }
        let model = try RecurrentLanguageModel(configuration: book, vocabulary: testVocabulary(300))
        let tensors = Dictionary(uniqueKeysWithValues: model.namedTensors.map { ($0.name, $0.tensor) })
        #expect(abs(deviation(tensors["embedding"]!) - 0.01) < 0.001)
        #expect(abs(deviation(tensors["lstm0.Wx"]!) - 1 / 8) < 0.01)
        #expect(abs(deviation(tensors["output.W"]!) - 1 / 8) < 0.01)
        #expect(tensors["lstm0.b"]!.scalars.allSatisfy { $0 == 0 } && tensors["output.b"]!.scalars.allSatisfy { $0 == 0 })
        // Zaremba's: every parameter in U(−limit, limit), biases too.
        var uniform = book
        uniform.initialization = .uniform(limit: 0.05)
        let other = try RecurrentLanguageModel(configuration: uniform, vocabulary: testVocabulary(300))
        for (name, tensor) in other.namedTensors {
            #expect(tensor.scalars.allSatisfy { abs($0) <= 0.05 } && abs(deviation(tensor) - 0.05 / 3.0.squareRoot()) < 0.005, "\(name)")
        }
        uniform.initialization = .uniform(limit: 0)
        #expect(throws: LanguageModelError.invalidConfiguration(reason: "the initialisation limit must be positive, but it is 0.0")) {
            try uniform.validate()
        }
        // Stored with the configuration.
        let data = try JSONEncoder().encode(uniform)
        #expect(try JSONDecoder().decode(LanguageModelConfiguration.self, from: data) == uniform)
    }

    /// An LSTM LM learns a short repeating sequence: perplexity near 1 on it.
    @Test func learnsARepeatingSequence() throws {
        var c = tinyConfiguration()
        c.embeddingSize = 16
        c.hiddenSize = 24
        c.timeSize = 10
        c.batchSize = 4
        c.optimizer = .adam
        c.learningRate = 0.02
        c.clip = 5
        c.epochs = 12
        let pattern = [0, 1, 2, 3, 4, 2, 5, 1]
        let ids = Array((0..<150).map { _ in pattern }.joined())
        let model = try RecurrentLanguageModel(configuration: c, vocabulary: testVocabulary(6))
        let result = try LanguageModelTrainer(configuration: c).train(model, training: ids, validation: Array(ids.prefix(400)))
        #expect(result.epochs.count == 12 && !result.wasCancelled)
        let best = try #require(result.bestValidPerplexity)
        #expect(best < 1.1, "validation perplexity \(best)")
        #expect(result.epochs.first!.trainPerplexity > 2, "it starts far from 1")
        #expect(result.history.points.count == 12 && result.history.unit == "epoch")
        // Greedy generation continues the pattern.
        let words = try TextGenerator(strategy: .greedy).generate(model, start: ["w0", "w1", "w2"], count: 5)
        #expect(words == ["w3", "w4", "w2", "w5", "w1"])
    }

    @Test func generationIsReproducibleAndAvoidsStopWords() throws {
        let model = try RecurrentLanguageModel(configuration: tinyConfiguration(), vocabulary: testVocabulary(30))
        for p in model.parameters { p.value = p.value * 20 }  // a peaked softmax
        let sampler = TextGenerator(strategy: .sampling(temperature: 1.5, topK: 10), seed: 7)
        let first = try sampler.generate(model, start: ["w1", "w2"], count: 40)
        let again = try sampler.generate(model, start: ["w1", "w2"], count: 40)
        #expect(first == again)
        #expect(first.count == 40)
        var other = sampler
        other.seed = 8
        #expect(try other.generate(model, start: ["w1", "w2"], count: 40) != first)
        // The greedy word, once stopped, never appears.
        let greedy = try TextGenerator(strategy: .greedy, stopWords: []).generate(model, start: ["w1"], count: 1)
        let stopped = try TextGenerator(strategy: .sampling(temperature: 1), stopWords: [greedy[0], "<unk>"], seed: 1)
            .generate(model, start: ["w1"], count: 200)
        #expect(!stopped.contains(greedy[0]) && !stopped.contains("<unk>"))
        #expect(Set(stopped).count > 3)
        // top-k 1 is greedy
        #expect(try TextGenerator(strategy: .sampling(topK: 1), stopWords: []).generate(model, start: ["w1"], count: 1) == greedy)
    }

    @Test func badInputGetsClearErrors() throws {
        var c = tinyConfiguration()
        c.timeSize = 0
        #expect(throws: LanguageModelError.invalidConfiguration(reason: "the time size must be between 1 and 10000, but it is 0")) {
            try c.validate()
        }
        #expect(throws: LanguageModelError.unknownPreset(name: "huge", known: ["rnnlm", "small", "better"])) {
            try LanguageModelConfiguration.preset(named: "huge")
        }
        let empty = try temporaryFile("  \n\n")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: LanguageModelError.corpus(.empty(path: empty))) { try LanguageModelCorpus.training(path: empty) }
        let train = try temporaryFile("the cat sat\nthe dog sat\n")
        let unknown = try temporaryFile("zebra yak\nquux\n")
        defer { try? FileManager.default.removeItem(atPath: train); try? FileManager.default.removeItem(atPath: unknown) }
        let (vocabulary, ids) = try LanguageModelCorpus.training(path: train)
        #expect(ids.count == 8 && vocabulary.contains("<eos>") && vocabulary.contains("<unk>"))
        #expect(throws: LanguageModelError.onlyUnknownWords(path: unknown)) {
            try LanguageModelCorpus.encode(path: unknown, vocabulary: vocabulary)
        }
        let model = try RecurrentLanguageModel(configuration: tinyConfiguration(), vocabulary: vocabulary)
        var short = tinyConfiguration()
        short.batchSize = 5
        #expect(throws: LanguageModelError.corpusTooShort(path: "training", tokens: 8, needed: 10)) {
            try LanguageModelTrainer(configuration: short).train(model, training: ids, validation: nil)
        }
        #expect(throws: LanguageModelError.unknownStartWord("zebra")) {
            try TextGenerator().generate(model, start: ["zebra"], count: 3)
        }
        #expect(throws: LanguageModelError.noStartWords) { try TextGenerator().generate(model, start: [], count: 3) }
        #expect(throws: LanguageModelError.self) {
            try TextGenerator(strategy: .sampling(temperature: 0)).generate(model, start: ["the"], count: 3)
        }
        #expect(throws: LanguageModelError.self) {
            try RecurrentLanguageModel(configuration: tinyConfiguration(), vocabulary: vocabulary, tensors: [:])
        }
    }

    @Test func unknownWordsOfValidationBecomeUnk() throws {
        let train = try temporaryFile("a b c\nb c a\n")
        let valid = try temporaryFile("a zebra c\n")
        defer { try? FileManager.default.removeItem(atPath: train); try? FileManager.default.removeItem(atPath: valid) }
        let (vocabulary, _) = try LanguageModelCorpus.training(path: train)
        let ids = try LanguageModelCorpus.encode(path: valid, vocabulary: vocabulary)
        #expect(ids.map { vocabulary.words[$0] } == ["a", "<unk>", "c", "<eos>"])
    }

    @Test func cancellationKeepsTheModelAndSaysSo() throws {
        let model = try RecurrentLanguageModel(configuration: tinyConfiguration(), vocabulary: testVocabulary(6))
        let flag = CancellationFlag()
        flag.cancel()
        let result = try LanguageModelTrainer(configuration: tinyConfiguration())
            .train(model, training: Array(repeating: [0, 1, 2], count: 20).flatMap { $0 }, validation: nil, cancellation: flag)
        #expect(result.wasCancelled && result.epochs.isEmpty)
    }

    @Test func pretrainedVectorsInitialiseSharedWords() throws {
        let model = try RecurrentLanguageModel(configuration: tinyConfiguration(), vocabulary: testVocabulary(4))
        let vectors = Tensor(shape: [2, 8], scalars: (0..<16).map(Float.init))
        #expect(try model.initializeEmbedding(words: ["w2", "other"], vectors: vectors) == 1)
        #expect(model.embedding.weight.value.row(2) == vectors.row(0))
        #expect(throws: LanguageModelError.self) {
            try model.initializeEmbedding(words: ["w2"], vectors: Tensor(shape: [1, 3]))
        }
    }
}
