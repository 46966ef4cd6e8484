import Testing
@testable import NeuralNetwork
import TensorCore

@Suite("Loss layers")
struct LossTests {
    @Test func sigmoidWithLossGoldenValues() throws {
        let loss = SigmoidWithLoss()
        let value = loss.forward(Tensor(vector: [2, -1]), labels: [1, 0])
        // (log(1 + e^-2) + log(1 + e^-1)) / 2
        #expect(abs(value - 0.2200948) < 1e-6)
        let dx = loss.backward()
        #expect(dx.shape == [2])
        #expect(abs(dx.scalars[0] - (-0.0596014)) < 1e-6)
        #expect(abs(dx.scalars[1] - 0.1344707) < 1e-6)
        let p = try #require(loss.probabilities)
        #expect(abs(p.scalars[0] - 0.8807971) < 1e-6)
        #expect(loss.backward(2) == dx * 2)
    }

    @Test(arguments: [(Float(100), Float(0), Float(100)), (-100, 0, 0), (100, 1, 0), (-100, 1, 100)])
    func sigmoidWithLossIsStableForLargeLogits(logit: Float, label: Float, expected: Float) {
        let loss = SigmoidWithLoss()
        let value = loss.forward(Tensor(vector: [logit]), labels: [label])
        #expect(value.isFinite)
        #expect(abs(value - expected) < 1e-4)
        let gradient = loss.backward()
        #expect(gradient.scalars.allSatisfy { $0.isFinite })
    }

    @Test func sigmoidWithLossKeepsTheScoreShape() {
        let loss = SigmoidWithLoss()
        _ = loss.forward(Tensor(shape: [2, 3]), labels: [1, 0, 1, 0, 1, 0])
        #expect(loss.backward().shape == [2, 3])
    }

    @Test func softmaxWithLossGoldenValues() {
        let loss = SoftmaxWithLoss()
        let value = loss.forward(Tensor([[0, 0, 0], [1000, 0, 0]]), labels: [1, 0])
        #expect(abs(value - 1.0986123 / 2) < 1e-6, "log(3) for the uniform row, 0 for the confident one")
        let dx = loss.backward()
        #expect(dx.isApproximatelyEqual(to: Tensor([[1.0 / 6, -1.0 / 3, 1.0 / 6], [0, 0, 0]]), tolerance: 1e-6))
    }

    @Test func meanSquaredErrorGoldenValues() {
        let loss = MeanSquaredError()
        let value = loss.forward(Tensor([[1, 2], [3, 4]]), labels: Tensor([[1, 0], [0, 4]]))
        #expect(value == (4 + 9) / 4.0, "(0² + 2² + 3² + 0²) / (2 · 2 rows)")
        #expect(loss.backward() == Tensor([[0, 1], [1.5, 0]]))
    }

    @Test(arguments: LossCase.allCases)
    func gradientCheck(lossCase: LossCase) {
        let result = lossCase.check()
        #expect(result.inputErrors.count == 1)
        #expect(result.maxRelativeError < gradientTolerance, "\(lossCase): \(result)")
    }
}

/// Every loss layer with scores and labels for a gradient check.
enum LossCase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sigmoidWithLoss, softmaxWithLoss, meanSquaredError

    var testDescription: String { rawValue }

    func check() -> GradientCheckResult {
        switch self {
        case .sigmoidWithLoss:
            let labels: [Float] = [1, 0, 0, 1, 1, 0, 0.5, 1, 0, 0, 1, 1]
            return GradientCheck.check(SigmoidWithLoss(), scores: randomMatrix(4, 3, seed: 3, scale: 2), labels: labels)
        case .softmaxWithLoss:
            return GradientCheck.check(SoftmaxWithLoss(), scores: randomMatrix(5, 4, seed: 4, scale: 2), labels: [0, 3, 2, 2, 1])
        case .meanSquaredError:
            return GradientCheck.check(MeanSquaredError(), scores: randomMatrix(3, 2, seed: 5), labels: randomMatrix(3, 2, seed: 6))
        }
    }
}
