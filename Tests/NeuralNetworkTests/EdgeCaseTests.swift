import Testing
@testable import NeuralNetwork
import TensorCore

@Suite("Batch labels and degenerate sizes")
struct EdgeCaseTests {
    @Test func labelsAreSelectedByExample() {
        #expect([10, 20, 30].selecting([2, 0, 2]) == [30, 10, 30])
        #expect([Float(1), 0].exampleCount == 2)
        let vector = Tensor(vector: [1, 2, 3])
        #expect(vector.exampleCount == 3)
        #expect(vector.selecting([1]) == Tensor(vector: [2]))
        let matrix = Tensor([[1, 2], [3, 4], [5, 6]])
        #expect(matrix.selecting([2, 0]) == Tensor([[5, 6], [1, 2]]))
        let cube = Tensor(shape: [3, 2, 2], scalars: (0..<12).map(Float.init))
        let picked = cube.selecting([1])
        #expect(picked.shape == [1, 2, 2])
        #expect(picked.scalars == [4, 5, 6, 7])
    }

    @Test func zeroWidthAndEmptyBatchesDoNotCrash() {
        let table = Parameter(Tensor(shape: [4, 0]))
        let embedding = Embedding(weight: table)
        #expect(embedding.forward([1, 2]).shape == [2, 0])
        embedding.backward(Tensor(shape: [2, 0]))
        let dot = EmbeddingDot(weight: table)
        #expect(dot.forward(Tensor(shape: [2, 0]), ids: [0, 3]) == Tensor(vector: [0, 0]))
        #expect(dot.backward(Tensor(vector: [1, 1])).shape == [2, 0])
        for c in OptimizerCase.allCases {
            var optimizer = c.make()
            optimizer.update([table])
        }
        let empty = Parameter(Tensor(vector: []))
        empty.accumulateGradient(Tensor(vector: []))
        var adam = Adam()
        adam.update([empty])
        #expect(Softmax().forward(Tensor(shape: [2, 0]), training: true).shape == [2, 0])
        #expect(SoftmaxWithLoss().forward(Tensor(shape: [0, 3]), labels: []) == 0)
        #expect(SigmoidWithLoss().forward(Tensor(vector: []), labels: []) == 0)
        #expect(Dropout(rate: 0.5).forward(Tensor(shape: [0, 3]), training: true).shape == [0, 3])
    }

    @Test func parameterShapeIsFixed() {
        let p = Parameter(Tensor(shape: [3, 2]), name: "W")
        p.value = Tensor(shape: [3, 2], repeating: 1)
        p.value.scalars[0] = 5
        #expect(p.shape == [3, 2])
        #expect(p.value[0, 0] == 5)
        #expect(p.description == "Parameter(W, shape: [3, 2])")
    }
}
