import Testing
import TensorCore
import NeuralNetwork
@testable import Word2Vec

/// The fast engine against the layer-by-layer reference models on the same samples.
@Suite("Reference models")
struct ReferenceModelTests {
    static let vocabularySize = 9
    static let dimension = 7

    static func startingMatrices(seed: UInt64) -> (input: [Float], output: [Float]) {
        var random = SplitMix64(seed: seed)
        let n = vocabularySize * dimension
        return ((0..<n).map { _ in (random.nextUnitFloat() - 0.5) * 0.8 },
                (0..<n).map { _ in (random.nextUnitFloat() - 0.5) * 0.8 })
    }

    static func expectClose(_ a: [Float], _ b: [Float], _ what: String) {
        #expect(a.count == b.count)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-5, "\(what) differs by \(worst)")
    }

    /// (contexts, center, negatives) per step; negatives distinct and different from the target.
    static let cbowSteps: [([Int32], Int32, [Int32])] = [
        ([0, 1, 3, 4], 2, [5, 6, 7]),
        ([2, 2, 8, 1], 0, [3, 4, 8]),
        ([7, 5, 6, 0], 8, [1, 2, 3]),
    ]

    /// `.exactGradient` is the reference with one learning rate; `.word2vec` is the reference with
    /// W_in's gradient (hence its learning rate) multiplied by the context size C.
    @Test("CBOW: one SGD step of the layers equals one fused engine step",
          arguments: [CBOWContextUpdate.exactGradient, .word2vec])
    func cbowAgrees(update: CBOWContextUpdate) throws {
        let (input, output) = Self.startingMatrices(seed: 21)
        let (v, d) = (Self.vocabularySize, Self.dimension)
        let sampler = try UnigramSampler(counts: [9, 8, 7, 6, 5, 4, 3, 2, 1])
        let model = CBOW(inputWeight: Parameter(Tensor(shape: [v, d], scalars: input)),
                         outputWeight: Parameter(Tensor(shape: [v, d], scalars: output)),
                         windowSize: 2, sampler: sampler, negativeSamples: 3)
        var optimizer = SGD(learningRate: 0.2)
        let shared = SharedMatrices(input: input, output: output, rows: v, dimension: d)
        for (contexts, center, negatives) in Self.cbowSteps {
            model.parameters.zeroGradients()
            let referenceLoss = model.forward(contexts: contexts, centers: [center], negatives: negatives)
            model.backward()
            if update == .word2vec { model.inputWeight.scaleGradient(by: Float(model.contextSize)) }
            optimizer.update(model.parameters)
            let fastLoss = TrainingKernel.with(shared, sampler: sampler, negativeSamples: 3, sigmoid: .exact,
                                               cbowContextUpdate: update) { kernel in
                contexts.withUnsafeBufferPointer { c in
                    kernel.cbowWindow(context: c.baseAddress!, count: c.count, targetCount: kernel.setTargets(positive: center, negatives: negatives), rate: 0.2)
                }
            }
            #expect(abs(referenceLoss - fastLoss) < 1e-5)
            Self.expectClose(model.inputWeight.value.scalars, shared.inputScalars(), "W_in")
            Self.expectClose(model.outputWeight.value.scalars, shared.outputScalars(), "W_out")
        }
        #expect(model.inputWeight.value.scalars != input, "the step must change W_in")
    }

    @Test("skip-gram: one SGD step of the layers equals one fused engine pair step")
    func skipGramAgrees() throws {
        let (input, output) = Self.startingMatrices(seed: 22)
        let (v, d) = (Self.vocabularySize, Self.dimension)
        let sampler = try UnigramSampler(counts: [9, 8, 7, 6, 5, 4, 3, 2, 1])
        let model = SkipGram(inputWeight: Parameter(Tensor(shape: [v, d], scalars: input)),
                             outputWeight: Parameter(Tensor(shape: [v, d], scalars: output)),
                             contextSize: 1, sampler: sampler, negativeSamples: 4)
        var optimizer = SGD(learningRate: 0.3)
        let shared = SharedMatrices(input: input, output: output, rows: v, dimension: d)
        let steps: [(Int32, Int32, [Int32])] = [(3, 4, [0, 1, 2, 8]), (4, 3, [5, 6, 7, 0]), (0, 3, [4, 8, 2, 6])]
        for (center, context, negatives) in steps {
            model.parameters.zeroGradients()
            let referenceLoss = model.forward(centers: [center], contexts: [context], negatives: negatives)
            model.backward()
            optimizer.update(model.parameters)
            let fastLoss = TrainingKernel.with(shared, sampler: sampler, negativeSamples: 4, sigmoid: .exact) { kernel in
                kernel.skipGramPair(center: center, targetCount: kernel.setTargets(positive: context, negatives: negatives), rate: 0.3)
            }
            #expect(abs(referenceLoss - fastLoss) < 1e-5)
            Self.expectClose(model.inputWeight.value.scalars, shared.inputScalars(), "W_in")
            Self.expectClose(model.outputWeight.value.scalars, shared.outputScalars(), "W_out")
        }
    }

    /// HogBatch is the reference skip-gram with the roles of a window's words swapped (each
    /// context word's W_in row predicts the center) on a mini-batch of the window's pairs that all
    /// share one set of negatives: one SGD step on the summed loss. Repeated context words and
    /// repeated negatives accumulate, as in the layers.
    @Test("HogBatch skip-gram: one window step equals one SGD step of the layers on the window's pairs")
    func hogBatchAgrees() throws {
        let (input, output) = Self.startingMatrices(seed: 23)
        let (v, d) = (Self.vocabularySize, Self.dimension)
        let sampler = try UnigramSampler(counts: [9, 8, 7, 6, 5, 4, 3, 2, 1])
        let model = SkipGram(inputWeight: Parameter(Tensor(shape: [v, d], scalars: input)),
                             outputWeight: Parameter(Tensor(shape: [v, d], scalars: output)),
                             contextSize: 1, sampler: sampler, negativeSamples: 3)
        var optimizer = SGD(learningRate: 0.3)
        let shared = SharedMatrices(input: input, output: output, rows: v, dimension: d)
        let windows: [([Int32], Int32, [Int32])] = [([0, 3, 4, 0], 2, [5, 6, 5]), ([1, 7], 8, [0, 2, 3]),
                                                    ([4, 4, 2, 6, 8, 1], 3, [7, 0, 5]), ([5], 6, [1, 2, 4])]
        for (context, center, negatives) in windows {
            let n = context.count
            model.parameters.zeroGradients()
            let referenceMean = model.forward(centers: context, contexts: [Int32](repeating: center, count: n),
                                              negatives: (0..<n).flatMap { _ in negatives })
            model.backward(Float(n))
            optimizer.update(model.parameters)
            let fastLoss = TrainingKernel.with(shared, sampler: sampler, negativeSamples: 3, sigmoid: .exact, windowSize: 3) { kernel in
                context.withUnsafeBufferPointer { c in
                    kernel.skipGramWindow(context: c.baseAddress!, count: c.count, targetCount: kernel.setTargets(positive: center, negatives: negatives), rate: 0.3)
                }
            }
            #expect(abs(referenceMean * Float(n) - fastLoss) < 1e-5 * Float(n))
            Self.expectClose(model.inputWeight.value.scalars, shared.inputScalars(), "W_in")
            Self.expectClose(model.outputWeight.value.scalars, shared.outputScalars(), "W_out")
        }
    }

    @Test("HogBatch skips a negative equal to the center, like the per-pair path")
    func hogBatchSkipsCenter() throws {
        let (input, output) = Self.startingMatrices(seed: 24)
        let (v, d) = (Self.vocabularySize, Self.dimension)
        let sampler = try UnigramSampler(counts: [9, 8, 7, 6, 5, 4, 3, 2, 1])
        let run = { (negatives: [Int32]) -> (Float, [Float], [Float]) in
            let shared = SharedMatrices(input: input, output: output, rows: v, dimension: d)
            let loss = TrainingKernel.with(shared, sampler: sampler, negativeSamples: 3, sigmoid: .exact, windowSize: 2) { kernel in
                [Int32(0), 1].withUnsafeBufferPointer { c in
                    kernel.skipGramWindow(context: c.baseAddress!, count: c.count, targetCount: kernel.setTargets(positive: 4, negatives: negatives), rate: 0.5)
                }
            }
            return (loss, shared.inputScalars(), shared.outputScalars())
        }
        let withCenter = run([5, 4, 6])
        let without = run([5, 6])
        #expect(withCenter.0 == without.0)
        #expect(withCenter.1 == without.1 && withCenter.2 == without.2)
        #expect(without.1 != input)
    }

    @Test("contexts and centers of the book's sentence")
    func contextsGolden() {
        // "you say goodbye and i say hello ." -> ids 0 1 2 3 4 1 5 6
        let (contexts, centers) = contextsAndCenters(ids: [0, 1, 2, 3, 4, 1, 5, 6], windowSize: 1)
        #expect(centers == [1, 2, 3, 4, 1, 5])
        #expect(contexts == [0, 2, 1, 3, 2, 4, 3, 1, 4, 5, 1, 6])
        #expect(contextsAndCenters(ids: [0, -1, 1], windowSize: 1).centers.isEmpty)
        #expect(contextsAndCenters(ids: [0, -1, 1, 2], windowSize: 1).centers == [1])
    }

    @Test("the reference models learn the book's corpus with any optimizer", arguments: ["cbow", "skipgram"])
    func referenceLearns(kind: String) throws {
        let ids: [Int32] = [0, 1, 2, 3, 4, 1, 5, 6]
        let sampler = try UnigramSampler(counts: [1, 2, 1, 1, 1, 1, 1])
        let (contexts, centers) = contextsAndCenters(ids: ids, windowSize: 1)
        var random = SplitMix64(seed: 5)
        var optimizer = Adam(learningRate: 0.05)
        var losses: [Float] = []
        if kind == "cbow" {
            let model = CBOW(vocabularySize: 7, dimension: 5, windowSize: 1, sampler: sampler, negativeSamples: 2, using: &random)
            for _ in 0..<150 {
                model.parameters.zeroGradients()
                losses.append(model.forward(contexts: contexts, centers: centers, using: &random))
                model.backward()
                optimizer.update(model.parameters)
            }
        } else {
            let model = SkipGram(vocabularySize: 7, dimension: 5, windowSize: 1, sampler: sampler, negativeSamples: 2, using: &random)
            for _ in 0..<150 {
                model.parameters.zeroGradients()
                losses.append(model.forward(centers: centers, contexts: contexts, using: &random))
                model.backward()
                optimizer.update(model.parameters)
            }
        }
        let first = losses.prefix(10).reduce(0, +) / 10, last = losses.suffix(10).reduce(0, +) / 10
        #expect(last < 0.6 * first, "loss went from \(first) to \(last)")
    }
}
