import Testing
@testable import NeuralNetwork
import TensorCore

@Suite("Weight decay, clipping and zeroing")
struct GradientToolsTests {
    @Test func weightDecayAddsRateTimesValue() {
        let dense = Parameter(Tensor(vector: [1, -2]))
        dense.accumulateGradient(Tensor(vector: [0.5, 0.5]))
        let untouched = Parameter(Tensor(vector: [3]))
        let table = Parameter(Tensor([[1, 1], [2, 2], [3, 3]]))
        table.accumulateRowGradients(ids: [2], rows: Tensor([[1, 0]]))
        [dense, untouched, table, dense].applyWeightDecay(rate: 0.1)
        #expect(dense.gradient.isApproximatelyEqual(to: Tensor(vector: [0.6, 0.3])), "applied once to a listed-twice parameter")
        #expect(!untouched.hasGradient)
        #expect(!table.hasDenseGradient, "sparse weight decay stays sparse")
        #expect(table.densifiedGradient().isApproximatelyEqual(to: Tensor([[0, 0], [0, 0], [1.3, 0.3]])))
        #expect(abs([dense, untouched].weightDecayPenalty(rate: 0.1) - 0.05 * 14) < 1e-6)
    }

    @Test func weightDecayShrinksWeightsUnderSGD() {
        let w = Parameter(Tensor(vector: [2, -4]))
        var sgd = SGD(learningRate: 0.5)
        w.accumulateGradient(Tensor(vector: [0, 0]))
        [w].applyWeightDecay(rate: 0.2)
        sgd.update([w])
        #expect(w.value.isApproximatelyEqual(to: Tensor(vector: [1.8, -3.6])))
    }

    @Test func globalNormCoversDenseAndSparseGradients() {
        let a = Parameter(Tensor(vector: [0, 0]))
        a.accumulateGradient(Tensor(vector: [3, 0]))
        let b = Parameter(Tensor(shape: [4, 2]))
        b.accumulateRowGradients(ids: [1, 1], rows: Tensor([[0, 1], [0, 3]]))
        let parameters = [a, b, a]
        #expect(abs(parameters.gradientNorm() - 5) < 1e-6)
        let before = parameters.clipGradients(maxNorm: 10)
        #expect(abs(before - 5) < 1e-6)
        #expect(a.gradient == Tensor(vector: [3, 0]), "no clipping below the limit")
        let norm = parameters.clipGradients(maxNorm: 1)
        #expect(abs(norm - 5) < 1e-6)
        #expect(abs(parameters.gradientNorm() - 1) < 1e-5)
        #expect(a.gradient.isApproximatelyEqual(to: Tensor(vector: [0.6, 0]), tolerance: 1e-5))
        #expect(abs(b.sparseGradient.row(1)[1] - 0.8) < 1e-5)
        #expect(!b.hasDenseGradient)
    }

    /// An optimizer step with the clipping factor (SGD folds it into its step, the others scale
    /// first) lands where clipping the gradients and then stepping lands, dense and sparse alike.
    @Test(arguments: ["sgd", "adam", "momentum"])
    func stepWithClippingScaleEqualsClipThenStep(name: String) {
        func make() -> any Optimizer {
            switch name {
            case "sgd": return SGD(learningRate: 0.5)
            case "adam": return Adam(learningRate: 0.1)
            default: return Momentum(learningRate: 0.5)
            }
        }
        func parameters() -> [Parameter] {
            let a = Parameter(Tensor(vector: [1, -1]))
            a.accumulateGradient(Tensor(vector: [3, 0]))
            let b = Parameter(Tensor([[1, 1], [2, 2], [3, 3]]))
            b.accumulateRowGradients(ids: [1, 1], rows: Tensor([[0, 1], [0, 3]]))
            return [a, b, a]
        }
        let clipped = parameters(), scaled = parameters()
        var first = make(), second = make()
        clipped.clipGradients(maxNorm: 1)
        first.update(clipped)
        let (norm, scale) = scaled.clippingScale(maxNorm: 1)
        #expect(abs(norm - 5) < 1e-6 && abs(scale - 0.2) < 1e-6)
        second.update(scaled, gradientScale: scale)
        for (x, y) in zip(clipped, scaled) { #expect(x.value.isApproximatelyEqual(to: y.value, tolerance: 1e-6), "\(name)") }
        #expect(scaled.clippingScale(maxNorm: 10).scale == 1, "below the limit nothing changes")
    }

    @Test func zeroGradientsClearsEverything() {
        let a = Parameter(Tensor(vector: [1])), b = Parameter(Tensor(shape: [2, 1]))
        a.accumulateGradient(Tensor(vector: [1]))
        b.accumulateRowGradients(ids: [0], rows: Tensor([[1]]))
        [a, b].zeroGradients()
        #expect(!a.hasGradient && !b.hasGradient)
        #expect([a, b].gradientNorm() == 0)
    }
}
