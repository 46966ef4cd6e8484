import Testing
@testable import NeuralNetwork
import TensorCore

/// Every `Layer` with inputs or parameters, set up for a gradient check.
enum LayerCase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case matMul, affine, relu, sigmoid, tanh, softmax
    case dropoutTraining, dropoutInference, batchNormTraining, batchNormInference

    var testDescription: String { rawValue }

    /// The layer, an input, the mode, and what to run before each forward pass.
    func make() -> (layer: any Layer, input: Tensor, training: Bool, beforeForward: () -> Void) {
        var generator = SplitMix64(seed: 99)
        let x = randomMatrix(5, 4, seed: 1)
        switch self {
        case .matMul:
            return (MatMul(inputSize: 4, outputSize: 3, using: &generator), x, true, {})
        case .affine:
            let affine = Affine(inputSize: 4, outputSize: 3, using: &generator)
            affine.bias.value = randomMatrix(1, 3, seed: 2).reshaped([3])
            return (affine, x, true, {})
        case .relu:
            return (ReLU(), randomMatrixAwayFromZero(5, 4, seed: 3), true, {})
        case .sigmoid:
            return (Sigmoid(), randomMatrix(5, 4, seed: 4, scale: 2), true, {})
        case .tanh:
            return (Tanh(), x, true, {})
        case .softmax:
            return (Softmax(), randomMatrix(5, 4, seed: 5, scale: 2), true, {})
        case .dropoutTraining:
            let dropout = Dropout(rate: 0.4, seed: 8)
            return (dropout, x, true, { dropout.reseed(8) })
        case .dropoutInference:
            return (Dropout(rate: 0.4, seed: 8), x, false, {})
        case .batchNormTraining, .batchNormInference:
            let batchNorm = BatchNorm(featureCount: 4, momentum: 0.5)
            batchNorm.gamma.value = Tensor(vector: [1.5, -0.5, 2, 1])
            batchNorm.beta.value = Tensor(vector: [0.1, 0.2, -0.3, 0])
            for seed in 10..<13 { _ = batchNorm.forward(randomMatrix(6, 4, seed: UInt64(seed), scale: 3), training: true) }
            return (batchNorm, randomMatrix(6, 4, seed: 6, scale: 3), self == .batchNormTraining, {})
        }
    }
}

@Suite("Layers")
struct LayerTests {
    @Test(arguments: LayerCase.allCases)
    func gradientCheck(layerCase: LayerCase) {
        let (layer, input, training, beforeForward) = layerCase.make()
        let result = GradientCheck.check(layer, input: input, training: training, beforeForward: beforeForward)
        #expect(result.inputErrors.count == 1)
        #expect(result.parameterErrors.count == layer.parameters.count)
        #expect(result.maxRelativeError < gradientTolerance, "\(layerCase): \(result)")
    }

    @Test(arguments: LayerCase.allCases)
    func backwardKeepsTheInputShape(layerCase: LayerCase) {
        let (layer, input, training, beforeForward) = layerCase.make()
        beforeForward()
        let y = layer.forward(input, training: training)
        #expect(y.shape[0] == input.shape[0])
        #expect(layer.backward(y).shape == input.shape)
    }

    @Test func gradientCheckDetectsAWrongBackward() {
        /// A layer that claims dx = dy for y = 2x: the check must flag it.
        final class Doubling: Layer {
            func forward(_ input: Tensor, training: Bool) -> Tensor { input * 2 }
            func backward(_ outputGradient: Tensor) -> Tensor { outputGradient }
        }
        let result = GradientCheck.check(Doubling(), input: randomMatrix(3, 3, seed: 1))
        #expect(result.maxRelativeError > 0.3)
        #expect(result.parameterErrors.isEmpty)
    }

    @Test func linearLayerGoldenValues() {
        let affine = Affine(weight: Parameter(Tensor([[1, 2], [3, 4], [5, 6]])), bias: Parameter(Tensor(vector: [10, 20])))
        #expect(affine.inputSize == 3 && affine.outputSize == 2)
        let y = affine.forward(Tensor([[1, 0, 1], [0, 1, 0]]), training: false)
        #expect(y == Tensor([[16, 28], [13, 24]]))
        let dx = affine.backward(Tensor([[1, 0], [0, 1]]))
        #expect(dx == Tensor([[1, 3, 5], [2, 4, 6]]))
        #expect(affine.weight.gradient == Tensor([[1, 0], [0, 1], [1, 0]]))
        #expect(affine.bias.gradient == Tensor(vector: [1, 1]))
        // A second backward accumulates.
        _ = affine.backward(Tensor([[1, 0], [0, 1]]))
        #expect(affine.bias.gradient == Tensor(vector: [2, 2]))

        let matMul = MatMul(weight: Parameter(Tensor([[1, 2], [3, 4]])))
        #expect(matMul.forward(Tensor([[1, 1]]), training: true) == Tensor([[4, 6]]))
        #expect(matMul.backward(Tensor([[1, 0]])) == Tensor([[1, 3]]))
        #expect(matMul.weight.gradient == Tensor([[1, 0], [1, 0]]))
    }

    @Test func activationGoldenValues() {
        let relu = ReLU()
        #expect(relu.forward(Tensor([[-1, 0, 2]]), training: true) == Tensor([[0, 0, 2]]))
        #expect(relu.backward(Tensor([[5, 5, 5]])) == Tensor([[0, 0, 5]]))
        let sigmoid = Sigmoid()
        let s = sigmoid.forward(Tensor([[0, 100, -100]]), training: true)
        #expect(s.isApproximatelyEqual(to: Tensor([[0.5, 1, 0]]), tolerance: 1e-7))
        #expect(s.scalars.allSatisfy { $0.isFinite })
        #expect(sigmoid.backward(Tensor([[1, 1, 1]])).scalars[0] == 0.25)
        let tanh = Tanh()
        #expect(tanh.forward(Tensor([[0]]), training: true) == Tensor([[0]]))
        #expect(tanh.backward(Tensor([[3]])) == Tensor([[3]]))
        let softmax = Softmax()
        let p = softmax.forward(Tensor([[1, 1], [1000, 0]]), training: true)
        #expect(p == Tensor([[0.5, 0.5], [1, 0]]))
        #expect(p.sum(alongAxis: 1).isApproximatelyEqual(to: Tensor(vector: [1, 1])))
    }
}

@Suite("Weight initialisation")
struct InitializationTests {
    @Test func standardDeviations() {
        #expect(WeightInitialization.xavier.standardDeviation(fanIn: 100) == 0.1)
        #expect(abs(WeightInitialization.he.standardDeviation(fanIn: 100) - 0.1414214) < 1e-6)
        #expect(WeightInitialization.normal(standardDeviation: 0.01).standardDeviation(fanIn: 5) == 0.01)
        var generator = SplitMix64(seed: 1)
        let uniform = WeightInitialization.uniform(limit: 0.1).matrix(fanIn: 30, fanOut: 30, using: &generator)
        #expect(uniform.scalars.allSatisfy { abs($0) <= 0.1 } && uniform.scalars.contains { abs($0) > 0.09 })
    }

    @Test(arguments: [WeightInitialization.xavier, .he, .uniform(limit: 0.1)])
    func samplesHaveTheRequestedSpread(initialization: WeightInitialization) {
        var generator = SplitMix64(seed: 5)
        let w = initialization.matrix(fanIn: 200, fanOut: 100, using: &generator)
        #expect(w.shape == [200, 100])
        let mean = w.mean()
        let std = ((w - mean) * (w - mean)).mean().squareRoot()
        let expected = initialization.standardDeviation(fanIn: 200)
        #expect(abs(mean) < 0.05 * expected)
        #expect(abs(std / expected - 1) < 0.03)
        var again = SplitMix64(seed: 5)
        #expect(initialization.matrix(fanIn: 200, fanOut: 100, using: &again) == w, "seeded draws repeat")
    }
}
