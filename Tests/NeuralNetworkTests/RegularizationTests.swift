import Testing
@testable import NeuralNetwork
import TensorCore

@Suite("Dropout and BatchNorm")
struct RegularizationTests {
    @Test func dropoutIsTheIdentityAtInference() {
        let dropout = Dropout(rate: 0.5, seed: 1)
        let x = randomMatrix(4, 5, seed: 2)
        #expect(dropout.forward(x, training: false) == x)
        let d = randomMatrix(4, 5, seed: 3)
        #expect(dropout.backward(d) == d)
    }

    @Test func dropoutKeepsTheExpectationInTraining() {
        let dropout = Dropout(rate: 0.3, seed: 7)
        let y = dropout.forward(Tensor(shape: [100, 100], repeating: 1), training: true)
        let kept = y.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-6 }, "kept elements are scaled by 1 / (1 − rate)")
        #expect(abs(Double(kept.count) / 10_000 - 0.7) < 0.02)
        #expect(abs(y.mean() - 1) < 0.03)
        // Backward applies the same mask and scale.
        #expect(dropout.backward(Tensor(shape: [100, 100], repeating: 1)) == y)
    }

    @Test func dropoutMasksAreSeeded() {
        let x = Tensor(shape: [3, 8], repeating: 1)
        let a = Dropout(rate: 0.5, seed: 11), b = Dropout(rate: 0.5, seed: 11)
        let first = a.forward(x, training: true)
        #expect(b.forward(x, training: true) == first)
        #expect(a.forward(x, training: true) != first, "the next batch gets a new mask")
        a.reseed(11)
        #expect(a.forward(x, training: true) == first)
        #expect(Dropout(rate: 0, seed: 1).forward(x, training: true) == x)
    }

    @Test func batchNormNormalisesEachFeatureInTraining() {
        let batchNorm = BatchNorm(featureCount: 3)
        let x = randomMatrix(50, 3, seed: 4, scale: 5) + Tensor(vector: [10, -3, 0])
        let y = batchNorm.forward(x, training: true)
        let mean = y.sum(alongAxis: 0) / 50
        let variance = (y * y).sum(alongAxis: 0) / 50
        #expect(mean.isApproximatelyEqual(to: Tensor(shape: [3]), tolerance: 1e-4))
        #expect(variance.isApproximatelyEqual(to: Tensor(shape: [3], repeating: 1), tolerance: 1e-3))
    }

    @Test func batchNormUpdatesRunningStatisticsWithMomentum() {
        let batchNorm = BatchNorm(featureCount: 2, momentum: 0.9)
        _ = batchNorm.forward(Tensor([[1, 10], [3, 30]]), training: true)
        // batch mean [2, 20], biased variance [1, 100]
        #expect(batchNorm.runningMean.isApproximatelyEqual(to: Tensor(vector: [0.2, 2])))
        #expect(batchNorm.runningVariance.isApproximatelyEqual(to: Tensor(vector: [1, 10.9]), tolerance: 1e-4))
        _ = batchNorm.forward(Tensor([[1, 10], [3, 30]]), training: false)
        #expect(batchNorm.runningMean.isApproximatelyEqual(to: Tensor(vector: [0.2, 2])), "inference leaves them alone")
    }

    @Test func batchNormUsesRunningStatisticsAtInference() {
        let batchNorm = BatchNorm(featureCount: 2, momentum: 0, epsilon: 1e-5)
        let batch = Tensor([[1, 10], [3, 30], [5, 50]])
        let training = batchNorm.forward(batch, training: true)
        // With momentum 0 the running statistics are this batch's, so inference on the batch
        // reproduces the training output, and a single row is normalised with them too
        // (batch statistics of one row would map it to β = 0).
        #expect(batchNorm.forward(batch, training: false).isApproximatelyEqual(to: training, tolerance: 1e-5))
        let single = batchNorm.forward(Tensor([[5, 50]]), training: false)
        #expect(single.isApproximatelyEqual(to: Tensor([[training[2, 0], training[2, 1]]]), tolerance: 1e-5))
        #expect(single[0, 0] > 1)
        #expect(batchNorm.forward(Tensor([[5, 50]]), training: true) == Tensor([[0, 0]]))
    }
}
