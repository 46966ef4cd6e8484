import Testing
@testable import NeuralNetwork
import TensorCore

/// The book's spiral data set (Saitoh 2, `dataset/spiral.py`): `pointsPerClass` points on each of
/// `classCount` interleaved arms, `x = r (sin θ, cos θ)` with `r = i / n`,
/// `θ = 4 j + 4 r + N(0, 0.2²)`, labels j.
func spiral(pointsPerClass n: Int = 100, classCount: Int = 3, seed: UInt64 = 1984) -> (inputs: Tensor, labels: [Int]) {
    var generator = SplitMix64(seed: seed)
    var inputs = Tensor(shape: [n * classCount, 2])
    var labels: [Int] = []
    for j in 0..<classCount {
        for i in 0..<n {
            let rate = Float(i) / Float(n)
            let theta = Float(j) * 4 + 4 * rate + generator.nextNormal(standardDeviation: 0.2)
            let row = j * n + i
            inputs[row, 0] = rate * Float.sin(theta)
            inputs[row, 1] = rate * Float.cos(theta)
            labels.append(j)
        }
    }
    return (inputs, labels)
}

@Suite("Feed-forward networks and training")
struct NetworkTests {
    let xorInputs = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    let xorLabels = [0, 1, 1, 0]

    @Test func learnsXOR() {
        var generator = SplitMix64(seed: 3)
        let network = FeedForwardNetwork(inputSize: 2, hiddenSizes: [8], outputSize: 2, activation: .tanh,
                                         loss: SoftmaxWithLoss(), using: &generator)
        var trainer = Trainer(network: network, optimizer: Adam(learningRate: 0.05), batchSize: 4)
        let losses = trainer.fit(inputs: xorInputs, labels: xorLabels, epochs: 300, using: &generator)
        #expect(network.accuracy(xorInputs, labels: xorLabels) == 1)
        #expect(losses.last! < 0.05, "final loss \(losses.last!)")
        #expect(losses.last! < losses.first!)
    }

    @Test func learnsTheSpiral() {
        let (inputs, labels) = spiral()
        #expect(inputs.shape == [300, 2])
        var generator = SplitMix64(seed: 7)
        let network = FeedForwardNetwork(inputSize: 2, hiddenSizes: [30], outputSize: 3, activation: .relu,
                                         loss: SoftmaxWithLoss(), using: &generator)
        var trainer = Trainer(network: network, optimizer: Adam(learningRate: 0.02), batchSize: 30)
        let losses = trainer.fit(inputs: inputs, labels: labels, epochs: 100, using: &generator)
        let accuracy = network.accuracy(inputs, labels: labels)
        #expect(accuracy >= 0.95, "training accuracy \(accuracy), final loss \(losses.last!)")
    }

    @Test(arguments: [Activation.relu, .sigmoid, .tanh])
    func wholeNetworkGradientCheck(activation: Activation) {
        var generator = SplitMix64(seed: 17)
        let network = FeedForwardNetwork(inputSize: 3, hiddenSizes: [5, 4], outputSize: 3, activation: activation,
                                         batchNormalization: true, loss: SoftmaxWithLoss(), using: &generator)
        #expect(network.layers.count == 7)
        #expect(network.parameters.count == 10)
        let input = randomMatrix(6, 3, seed: 18)
        let result = GradientCheck.check(network, input: input, labels: [0, 1, 2, 2, 1, 0])
        #expect(result.parameterErrors.count == 10)
        #expect(result.maxRelativeError < gradientTolerance, "\(activation): \(result)")
    }

    @Test func predictGivesScoresPerRow() {
        var generator = SplitMix64(seed: 2)
        let network = FeedForwardNetwork(inputSize: 2, hiddenSizes: [4], outputSize: 5, dropoutRate: 0.5,
                                         loss: SoftmaxWithLoss(), using: &generator)
        let x = randomMatrix(7, 2, seed: 3)
        let scores = network.predict(x)
        #expect(scores.shape == [7, 5])
        #expect(network.predict(x) == scores, "inference is deterministic even with dropout")
        #expect(network.layers.contains { $0 is Dropout })
    }

    @Test func seededTrainingIsReproducible() {
        func train() -> [Tensor] {
            var generator = SplitMix64(seed: 5)
            let network = FeedForwardNetwork(inputSize: 2, hiddenSizes: [6], outputSize: 2, dropoutRate: 0.2,
                                             loss: SoftmaxWithLoss(), using: &generator)
            var trainer = Trainer(network: network, optimizer: Momentum(learningRate: 0.1), batchSize: 3)
            trainer.fit(inputs: xorInputs, labels: xorLabels, epochs: 5, using: &generator)
            return network.parameters.map(\.value)
        }
        #expect(train() == train())
    }

    @Test func weightDecayAndClippingShapeTheWeights() {
        func trainedWeightNorm(weightDecay: Float, maxGradientNorm: Float?) -> Float {
            var generator = SplitMix64(seed: 9)
            let network = FeedForwardNetwork(inputSize: 2, hiddenSizes: [8], outputSize: 2,
                                             loss: SoftmaxWithLoss(), using: &generator)
            var trainer = Trainer(network: network, optimizer: SGD(learningRate: 0.5), batchSize: 4,
                                  weightDecay: weightDecay, maxGradientNorm: maxGradientNorm)
            trainer.fit(inputs: xorInputs, labels: xorLabels, epochs: 100, using: &generator)
            return network.parameters.weightDecayPenalty(rate: 2).squareRoot()
        }
        let plain = trainedWeightNorm(weightDecay: 0, maxGradientNorm: nil)
        #expect(trainedWeightNorm(weightDecay: 0.05, maxGradientNorm: nil) < 0.8 * plain)
        #expect(trainedWeightNorm(weightDecay: 0, maxGradientNorm: 0.01) != plain)
    }

    @Test func clippingBoundsEachStep() {
        var generator = SplitMix64(seed: 4)
        let network = FeedForwardNetwork(inputSize: 2, hiddenSizes: [4], outputSize: 2,
                                         loss: SoftmaxWithLoss(), using: &generator)
        let before = network.parameters.map(\.value)
        var trainer = Trainer(network: network, optimizer: SGD(learningRate: 1), batchSize: 4, maxGradientNorm: 0.001)
        trainer.step(xorInputs, labels: xorLabels)
        var squared: Float = 0
        for (p, old) in zip(network.parameters, before) { let d = p.value - old; squared += (d * d).sum() }
        #expect(squared.squareRoot() <= 0.001 * 1.0001, "an SGD step with lr 1 moves at most maxGradientNorm")
        #expect(squared > 0)
    }

    @Test func fitsALinearRegressionWithMeanSquaredError() {
        var generator = SplitMix64(seed: 6)
        let inputs = randomMatrix(64, 2, seed: 8)
        let targets = Tensor.matmul(inputs, Tensor([[2], [-1]])) + Tensor(vector: [0.5])
        let network = FeedForwardNetwork(layers: [Affine(inputSize: 2, outputSize: 1, using: &generator)],
                                         loss: MeanSquaredError())
        var trainer = Trainer(network: network, optimizer: SGD(learningRate: 0.1), batchSize: 16)
        let losses = trainer.fit(inputs: inputs, labels: targets, epochs: 60, using: &generator)
        #expect(losses.last! < 1e-4)
        let affine = network.layers[0] as! Affine
        #expect(affine.weight.value.isApproximatelyEqual(to: Tensor([[2], [-1]]), tolerance: 1e-2))
        #expect(abs(affine.bias.value.scalars[0] - 0.5) < 1e-2)
    }

    @Test func learnsABinaryTaskWithSigmoidWithLoss() {
        var generator = SplitMix64(seed: 12)
        let network = FeedForwardNetwork(inputSize: 2, hiddenSizes: [8], outputSize: 1, activation: .tanh,
                                         loss: SigmoidWithLoss(), using: &generator)
        let labels: [Float] = xorLabels.map(Float.init)
        var trainer = Trainer(network: network, optimizer: Adam(learningRate: 0.05), batchSize: 2)
        trainer.fit(inputs: xorInputs, labels: labels, epochs: 200, using: &generator)
        let predicted = network.predict(xorInputs).scalars.map { $0 > 0 ? Float(1) : 0 }
        #expect(predicted == labels)
    }

    @Test func afterEpochReportsEveryEpoch() {
        var generator = SplitMix64(seed: 1)
        let network = FeedForwardNetwork(inputSize: 2, hiddenSizes: [], outputSize: 2,
                                         loss: SoftmaxWithLoss(), using: &generator)
        var trainer = Trainer(network: network, optimizer: SGD(), batchSize: 3)
        var seen: [Int] = []
        let losses = trainer.fit(inputs: xorInputs, labels: xorLabels, epochs: 3, using: &generator) { epoch, _ in
            seen.append(epoch)
        }
        #expect(seen == [0, 1, 2])
        #expect(losses.count == 3)
        #expect(network.accuracy(Tensor(shape: [0, 2]), labels: []) == 0)
    }
}
