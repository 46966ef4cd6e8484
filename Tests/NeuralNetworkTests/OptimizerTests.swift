import Testing
@testable import NeuralNetwork
import TensorCore

/// The optimizers under test, each with a step budget for the quadratic bowl.
enum OptimizerCase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sgd, momentum, adaGrad, rmsProp, adam

    var testDescription: String { rawValue }

    func make() -> any Optimizer {
        switch self {
        case .sgd: return SGD(learningRate: 0.1)
        case .momentum: return Momentum(learningRate: 0.05, momentum: 0.9)
        case .adaGrad: return AdaGrad(learningRate: 0.5)
        case .rmsProp: return RMSProp(learningRate: 0.02, decay: 0.9)
        case .adam: return Adam(learningRate: 0.05)
        }
    }
}

@Suite("Optimizers")
struct OptimizerTests {
    let center = Tensor(vector: [1, 1, -1, 2])

    /// f(w) = ‖w − c‖², ∇f = 2 (w − c).
    func quadratic(_ w: Tensor) -> Float { let d = w - center; return (d * d).sum() }

    @Test(arguments: OptimizerCase.allCases)
    func minimisesAQuadratic(optimizerCase: OptimizerCase) {
        var optimizer = optimizerCase.make()
        let w = Parameter(Tensor(vector: [3, -2, 1, 0.5]), name: "w")
        let start = quadratic(w.value)
        for _ in 0..<300 {
            w.zeroGradient()
            w.accumulateGradient((w.value - center) * 2)
            optimizer.update([w])
        }
        #expect(quadratic(w.value) < start * 1e-3, "\(optimizerCase): f = \(quadratic(w.value)) from \(start)")
    }

    @Test func sgdStepIsExact() {
        let w = Parameter(Tensor(vector: [1, 2]))
        w.accumulateGradient(Tensor(vector: [0.5, -1]))
        var sgd = SGD(learningRate: 0.1)
        sgd.update([w, w])
        #expect(w.value == Tensor(vector: [0.95, 2.1]), "a parameter listed twice is updated once")
    }

    @Test func adamFirstStepHasBiasCorrectedSizeLearningRate() {
        // With bias correction, the first step is lr · g / (|g| + ε) ≈ lr · sign(g).
        let w = Parameter(Tensor(vector: [0, 0]))
        w.accumulateGradient(Tensor(vector: [0.001, -50]))
        var adam = Adam(learningRate: 0.1)
        adam.update([w])
        #expect(w.value.isApproximatelyEqual(to: Tensor(vector: [-0.1, 0.1]), tolerance: 1e-5))
    }

    /// Adam against its formulas (Kingma & Ba 2015, Algorithm 1) in Double over three steps, on 19
    /// elements: the kernel's eight-lane part and its tail.
    @Test func adamMatchesItsFormulasOnEveryLane() {
        let count = 19
        let w = Parameter(Tensor(vector: (0..<count).map { Float($0) / 7 - 1 }))
        var adam = Adam(learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-6)
        var reference = w.value.scalars.map(Double.init)
        var m = [Double](repeating: 0, count: count), v = m
        for step in 1...3 {
            let g = (0..<count).map { Float(($0 * 37 + step * 11) % 13) / 3 - 2 }
            w.zeroGradient()
            w.accumulateGradient(Tensor(vector: g))
            adam.update([w])
            for j in 0..<count {
                m[j] = 0.8 * m[j] + 0.2 * Double(g[j])
                v[j] = 0.99 * v[j] + 0.01 * Double(g[j]) * Double(g[j])
                let mHat = m[j] / (1 - Double.pow(0.8, Double(step))), vHat = v[j] / (1 - Double.pow(0.99, Double(step)))
                reference[j] -= 0.05 * mHat / (vHat.squareRoot() + 1e-6)
            }
        }
        for j in 0..<count { #expect(abs(Double(w.value.scalars[j]) - reference[j]) < 1e-5, "element \(j)") }
    }

    @Test func parametersWithoutGradientsDoNotMove() {
        let moving = Parameter(Tensor(vector: [1])), still = Parameter(Tensor(vector: [1]))
        moving.accumulateGradient(Tensor(vector: [1]))
        for c in OptimizerCase.allCases {
            var optimizer = c.make()
            optimizer.update([moving, still])
        }
        #expect(still.value == Tensor(vector: [1]))
        #expect(moving.value.scalars[0] < 1)
    }

    /// Runs `optimizer` for two steps on a `[4, 2]` table: step 1 touches rows 0 and 2, step 2
    /// only row 0, with gradients given either sparse or dense.
    func twoSteps(_ optimizerCase: OptimizerCase, sparse: Bool) -> Tensor {
        var optimizer = optimizerCase.make()
        let w = Parameter(Tensor([[1, 1], [1, 1], [1, 1], [1, 1]]))
        let steps: [([Int], Tensor)] = [([0, 2, 0], Tensor([[1, 2], [3, -4], [1, 0]])), ([0], Tensor([[-1, 1]]))]
        for (ids, rows) in steps {
            w.zeroGradient()
            if sparse {
                w.accumulateRowGradients(ids: ids, rows: rows)
            } else {
                var dense = Tensor(shape: [4, 2])
                dense.scatterAddRows(ids, rows)
                w.accumulateGradient(dense)
            }
            optimizer.update([w])
        }
        return w.value
    }

    @Test(arguments: [OptimizerCase.sgd, .adaGrad])
    func sparseUpdateEqualsDenseUpdate(optimizerCase: OptimizerCase) {
        let sparse = twoSteps(optimizerCase, sparse: true), dense = twoSteps(optimizerCase, sparse: false)
        #expect(sparse.isApproximatelyEqual(to: dense, tolerance: 1e-6))
        #expect(sparse.row(1) == [1, 1] && sparse.row(3) == [1, 1])
    }

    @Test(arguments: [OptimizerCase.momentum, .rmsProp, .adam])
    func sparseUpdateIsLazy(optimizerCase: OptimizerCase) {
        let sparse = twoSteps(optimizerCase, sparse: true), dense = twoSteps(optimizerCase, sparse: false)
        // Row 0 saw a gradient in both steps: lazy and dense agree.
        #expect(abs(sparse[0, 0] - dense[0, 0]) < 1e-6 && abs(sparse[0, 1] - dense[0, 1]) < 1e-6)
        // Row 2 was touched only in step 1: lazily it keeps its step-1 value, densely its state
        // moves it again in step 2 (Momentum, Adam) or leaves it (RMSProp has no velocity).
        let afterOneStep = twoStepsFirstOnly(optimizerCase)
        #expect(sparse.row(2) == afterOneStep.row(2))
        if optimizerCase != .rmsProp { #expect(dense.row(2) != afterOneStep.row(2)) }
        #expect(sparse.row(1) == [1, 1] && sparse.row(3) == [1, 1])
    }

    func twoStepsFirstOnly(_ optimizerCase: OptimizerCase) -> Tensor {
        var optimizer = optimizerCase.make()
        let w = Parameter(Tensor([[1, 1], [1, 1], [1, 1], [1, 1]]))
        w.accumulateRowGradients(ids: [0, 2, 0], rows: Tensor([[1, 2], [3, -4], [1, 0]]))
        optimizer.update([w])
        return w.value
    }
}
