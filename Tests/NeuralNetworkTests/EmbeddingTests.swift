import Testing
@testable import NeuralNetwork
import TensorCore

@Suite("Embedding and EmbeddingDot")
struct EmbeddingTests {
    let table = Tensor([[0, 1], [2, 3], [4, 5]])

    @Test func embeddingGathersRows() {
        let embedding = Embedding(weight: Parameter(table))
        let out = embedding.forward([2, 0, 2])
        #expect(out == Tensor([[4, 5], [0, 1], [4, 5]]))
        #expect(embedding.vocabularySize == 3)
        #expect(embedding.dimension == 2)
        #expect(embedding.forward([]).shape == [0, 2])
    }

    @Test func embeddingBackwardScatterAddsRepeatedIds() {
        let w = Parameter(table)
        let embedding = Embedding(weight: w)
        _ = embedding.forward([2, 0, 2])
        embedding.backward(Tensor([[1, 2], [3, 4], [10, 20]]))
        #expect(w.sparseGradient.rowIDs == [2, 0])
        #expect(w.densifiedGradient() == Tensor([[3, 4], [0, 0], [11, 22]]))
        #expect(!w.hasDenseGradient)
    }

    @Test func sparseGradientStaysProportionalToTouchedRows() {
        var generator = SplitMix64(seed: 1)
        let embedding = Embedding(vocabularySize: 10_000, dimension: 8, using: &generator)
        var adam = Adam(learningRate: 0.01)
        let before = embedding.weight.value
        for step in 0..<3 {
            embedding.parameters.zeroGradients()
            _ = embedding.forward([step, 5, 5])
            embedding.backward(Tensor(shape: [3, 8], repeating: 1))
            #expect(!embedding.weight.hasDenseGradient)
            #expect(embedding.weight.sparseGradient.touchedRowCount == 2)
            #expect(embedding.weight.sparseGradient.rows.count == 16, "only touched rows are stored")
            adam.update(embedding.parameters)
        }
        #expect(!embedding.weight.hasDenseGradient)
        var changed: [Int] = []
        for r in 0..<10_000 where embedding.weight.value.row(r) != before.row(r) { changed.append(r) }
        #expect(changed == [0, 1, 2, 5])
    }

    @Test(arguments: [[0, 1, 2], [4, 4, 1, 4], [3]])
    func embeddingGradientCheck(ids: [Int]) {
        let embedding = Embedding(weight: Parameter(randomMatrix(5, 3, seed: 7)))
        let result = GradientCheck.check(embedding, ids: ids)
        #expect(result.parameterErrors.count == 1)
        #expect(result.maxRelativeError < gradientTolerance, "\(result)")
    }

    @Test func embeddingDotGoldenValues() {
        let w = Parameter(table)
        let layer = EmbeddingDot(weight: w)
        let out = layer.forward(Tensor([[1, 1], [1, 0]]), ids: [1, 2])
        #expect(out == Tensor(vector: [5, 4]))
        let dh = layer.backward(Tensor(vector: [1, 2]))
        #expect(dh == Tensor([[2, 3], [8, 10]]))
        #expect(w.densifiedGradient() == Tensor([[0, 0], [1, 1], [2, 0]]))
        #expect(!w.hasDenseGradient)
    }

    @Test(arguments: [[0, 3, 1, 4], [2, 2, 2, 0]])
    func embeddingDotGradientCheck(ids: [Int]) {
        let layer = EmbeddingDot(weight: Parameter(randomMatrix(5, 3, seed: 11)))
        let h = randomMatrix(ids.count, 3, seed: 12)
        let result = GradientCheck.check(layer, h: h, ids: ids)
        #expect(result.inputErrors.count == 1 && result.parameterErrors.count == 1)
        #expect(result.maxRelativeError < gradientTolerance, "\(result)")
    }

    @Test func negativeSamplingPipelineGradientCheck() {
        // CBOW-style: h = mean of two context embeddings sharing W_in; scores through EmbeddingDot
        // on W_out; binary cross-entropy loss. Checks the composition the Word2Vec module uses.
        let wIn = Parameter(randomMatrix(6, 4, seed: 21, scale: 0.5), name: "W_in")
        let wOut = Parameter(randomMatrix(6, 4, seed: 22, scale: 0.5), name: "W_out")
        let left = Embedding(weight: wIn), right = Embedding(weight: wIn)
        let dot = EmbeddingDot(weight: wOut)
        let loss = SigmoidWithLoss()
        let contexts: ([Int], [Int]) = ([0, 1, 2], [3, 3, 5])
        let targets = [4, 1, 4], labels: [Float] = [1, 0, 1]
        func forward() -> Float {
            let h = (left.forward(contexts.0) + right.forward(contexts.1)) * 0.5
            return loss.forward(dot.forward(h, ids: targets), labels: labels)
        }
        let result = GradientCheck.compare(
            inputs: [], parameters: [wIn, wOut, wIn],
            objective: { _ in Double(forward()) },
            analytic: { _ in
                _ = forward()
                let dh = dot.backward(loss.backward()) * 0.5
                left.backward(dh)
                right.backward(dh)
                return []
            })
        #expect(result.parameterErrors.count == 2, "a shared parameter is checked once")
        #expect(result.maxRelativeError < gradientTolerance, "\(result)")
    }
}
