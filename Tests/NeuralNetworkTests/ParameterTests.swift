import Testing
@testable import NeuralNetwork
import TensorCore

@Suite("Parameter and sparse row gradients")
struct ParameterTests {
    @Test func denseGradientAccumulatesAndClears() {
        let p = Parameter(Tensor([[1, 2], [3, 4]]), name: "w")
        #expect(!p.hasGradient)
        #expect(p.gradient == Tensor(shape: [2, 2]))
        p.accumulateGradient(Tensor([[1, 1], [1, 1]]))
        p.accumulateGradient(Tensor([[0, 2], [0, 0]]))
        #expect(p.hasDenseGradient)
        #expect(p.gradient == Tensor([[1, 3], [1, 1]]))
        p.zeroGradient()
        #expect(!p.hasGradient)
        #expect(p.gradient == Tensor(shape: [2, 2]))
        p.accumulateGradient(Tensor([[0, 0], [0, 5]]))
        #expect(p.gradient == Tensor([[0, 0], [0, 5]]), "storage must be zero after zeroGradient")
    }

    @Test func repeatedRowIdsAccumulateIntoOneRow() {
        let p = Parameter(Tensor(shape: [5, 2]), name: "W")
        p.accumulateRowGradients(ids: [3, 1, 3], rows: Tensor([[1, 2], [10, 20], [100, 200]]))
        p.accumulateRowGradients(ids: [1], rows: Tensor([[0.5, 0.5]]))
        #expect(p.sparseGradient.rowIDs == [3, 1])
        #expect(p.sparseGradient.touchedRowCount == 2)
        #expect(p.sparseGradient.row(3) == [101, 202])
        #expect(p.sparseGradient.row(1) == [10.5, 20.5])
        #expect(p.sparseGradient.row(0) == [0, 0])
        #expect(!p.hasDenseGradient, "a sparse accumulation must never create a dense gradient")
        let dense = p.densifiedGradient()
        #expect(dense == Tensor([[0, 0], [10.5, 20.5], [0, 0], [101, 202], [0, 0]]))
    }

    @Test func zeroingSparseGradientResetsSlots() {
        let p = Parameter(Tensor(shape: [4, 1]))
        p.accumulateRowGradients(ids: [2], rows: Tensor([[7]]))
        p.zeroGradient()
        #expect(p.sparseGradient.isEmpty)
        #expect(p.sparseGradient.row(2) == [0])
        p.accumulateRowGradients(ids: [0, 2], rows: Tensor([[1], [2]]))
        #expect(p.sparseGradient.rowIDs == [0, 2])
        #expect(p.sparseGradient.rows == Tensor([[1], [2]]))
    }

    @Test func mixedDenseAndSparseGradientsAreSummedOnce() {
        let p = Parameter(Tensor(shape: [3, 2]))
        p.accumulateGradient(Tensor([[1, 1], [1, 1], [1, 1]]))
        p.accumulateRowGradients(ids: [2], rows: Tensor([[2, 3]]))
        #expect(p.densifiedGradient() == Tensor([[1, 1], [1, 1], [3, 4]]))
        var sgd = SGD(learningRate: 1)
        sgd.update([p])
        #expect(p.value == Tensor([[-1, -1], [-1, -1], [-3, -4]]))
    }

    @Test func scalingTouchesBothKinds() {
        let p = Parameter(Tensor(shape: [2, 1]))
        p.accumulateGradient(Tensor([[2], [0]]))
        p.accumulateRowGradients(ids: [1], rows: Tensor([[4]]))
        p.scaleGradient(by: 0.5)
        #expect(p.densifiedGradient() == Tensor([[1], [2]]))
    }

    @Test func parametersAreSharedByIdentity() {
        let shared = Parameter(Tensor(shape: [3, 2]), name: "W_in")
        let a = Embedding(weight: shared), b = Embedding(weight: shared)
        _ = a.forward([0])
        _ = b.forward([0, 2])
        a.backward(Tensor([[1, 1]]))
        b.backward(Tensor([[1, 0], [0, 1]]))
        #expect(shared.densifiedGradient() == Tensor([[2, 1], [0, 0], [0, 1]]))
        #expect(distinctParameters(a.parameters + b.parameters).count == 1)
    }
}
