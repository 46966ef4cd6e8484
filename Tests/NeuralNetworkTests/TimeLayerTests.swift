import Testing
@testable import NeuralNetwork
import TensorCore

/// A seeded `[n, t, d]` sequence batch of normal samples.
func randomSequence(_ n: Int, _ t: Int, _ d: Int, seed: UInt64, scale: Float = 1) -> Tensor {
    randomMatrix(n * t, d, seed: seed, scale: scale).reshaped([n, t, d])
}

/// Steps `range` of a `[N, T, D]` tensor.
func timeSlice(_ x: Tensor, _ range: Range<Int>) -> Tensor {
    let (n, t, d) = (x.shape[0], x.shape[1], x.shape[2])
    var out: [Float] = []
    for b in 0..<n {
        for s in range { out.append(contentsOf: x.scalars[((b * t + s) * d)..<((b * t + s + 1) * d)]) }
    }
    return Tensor(shape: [n, range.count, d], scalars: out)
}

/// Σ r ⊙ y in Double.
func projected(_ y: Tensor, _ r: Tensor) -> Double {
    zip(y.scalars, r.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}

/// The time layers that are `Layer`s, set up for a gradient check (several steps, and for the
/// recurrent layers a non-zero carried initial state).
enum TimeLayerCase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case affine, affineOnMatrix, tiedAffine, rnn, lstm, dropout, variationalDropout, dropoutInference

    var testDescription: String { rawValue }

    func make() -> (layer: any Layer, input: Tensor, training: Bool, beforeForward: () -> Void) {
        var generator = SplitMix64(seed: 7)
        let x = randomSequence(2, 4, 3, seed: 11)
        switch self {
        case .affine:
            let affine = TimeAffine(inputSize: 3, outputSize: 5, using: &generator)
            affine.bias.value = Tensor(vector: [0.1, -0.2, 0.3, 0, 0.5])
            return (affine, x, true, {})
        case .affineOnMatrix:
            return (TimeAffine(inputSize: 3, outputSize: 2, using: &generator), randomMatrix(5, 3, seed: 12), true, {})
        case .tiedAffine:
            let embedding = Parameter(randomMatrix(6, 3, seed: 13), name: "E")
            return (TimeAffine(tiedTo: embedding, bias: Parameter(Tensor(shape: [6]))), x, true, {})
        case .rnn:
            let rnn = TimeRNN(inputSize: 3, hiddenSize: 4, using: &generator)
            rnn.bias.value = Tensor(vector: [0.1, -0.1, 0.2, 0])
            rnn.setState(randomMatrix(2, 4, seed: 14, scale: 0.5))
            return (rnn, x, true, {})
        case .lstm:
            let lstm = TimeLSTM(inputSize: 3, hiddenSize: 4, using: &generator)
            lstm.bias.value = randomMatrix(1, 16, seed: 15, scale: 0.5).reshaped([16])
            lstm.setState(LSTMState(hidden: randomMatrix(2, 4, seed: 16, scale: 0.5),
                                    cell: randomMatrix(2, 4, seed: 17)))
            return (lstm, x, true, {})
        case .dropout:
            let dropout = TimeDropout(rate: 0.4, seed: 3)
            return (dropout, x, true, { dropout.reseed(3) })
        case .variationalDropout:
            let dropout = TimeDropout(rate: 0.5, variational: true, seed: 4)
            return (dropout, x, true, { dropout.reseed(4) })
        case .dropoutInference:
            return (TimeDropout(rate: 0.5, seed: 4), x, false, {})
        }
    }
}

@Suite("Time layers")
struct TimeLayerTests {
    @Test(arguments: TimeLayerCase.allCases)
    func gradientCheck(layerCase: TimeLayerCase) {
        let (layer, input, training, beforeForward) = layerCase.make()
        let result = GradientCheck.check(layer, input: input, training: training, beforeForward: beforeForward)
        #expect(result.parameterErrors.count == layer.parameters.count)
        #expect(result.maxRelativeError < gradientTolerance, "\(layerCase): \(result)")
    }

    @Test func embeddingGradientCheck() {
        var generator = SplitMix64(seed: 1)
        let embedding = TimeEmbedding(vocabularySize: 5, dimension: 3, standardDeviation: 1, using: &generator)
        let ids = SequenceBatch(ids: [0, 2, 2, 4, 1, 0], batchSize: 2, timeSize: 3)
        let r = randomSequence(2, 3, 3, seed: 2)
        let result = GradientCheck.compare(inputs: [], parameters: embedding.parameters,
                                           objective: { _ in projected(embedding.forward(ids), r) },
                                           analytic: { _ in _ = embedding.forward(ids); embedding.backward(r); return [] })
        #expect(result.maxRelativeError < gradientTolerance, "\(result)")
        #expect(embedding.forward(ids).shape == [2, 3, 3])
        #expect(embedding.forward(ids).reshaped([6, 3]).row(1) == embedding.weight.value.row(2))
    }

    @Test(arguments: [nil, 2] as [Int?])
    func softmaxWithLossGradientCheck(ignoredLabel: Int?) {
        let loss = TimeSoftmaxWithLoss(ignoredLabel: ignoredLabel)
        let scores = randomSequence(2, 3, 4, seed: 5, scale: 2)
        let labels = SequenceBatch(ids: [0, 2, 3, 1, 2, 0], batchSize: 2, timeSize: 3)
        let result = GradientCheck.check(loss, scores: scores, labels: labels)
        #expect(result.maxRelativeError < gradientTolerance, "\(result)")
    }

    @Test func softmaxWithLossAveragesCountedStepsOnly() {
        let scores = randomSequence(2, 3, 4, seed: 6)
        let labels = SequenceBatch(ids: [0, 3, 3, 1, 2, 3], batchSize: 2, timeSize: 3)
        // Reference: per-row cross-entropy with the matrix loss on the counted rows only.
        let rows = scores.reshaped([6, 4])
        let counted = [0, 3, 4]
        let reference = SoftmaxWithLoss().forward(rows.gatherRows(counted), labels: counted.map { labels.ids[$0] })
        let loss = TimeSoftmaxWithLoss(ignoredLabel: 3)
        #expect(abs(loss.forward(scores, labels: labels) - reference) < 1e-5)
        #expect(loss.countedSteps == 3)
        let dx = loss.backward(1)
        #expect(loss.probabilities == nil, "backward consumes the cache")
        for ignoredRow in [1, 2, 5] {
            #expect(dx.reshaped([6, 4]).row(ignoredRow) == [0, 0, 0, 0])
        }
        let all = TimeSoftmaxWithLoss()
        let full = SoftmaxWithLoss().forward(rows, labels: labels.ids)
        #expect(abs(all.forward(scores, labels: labels) - full) < 1e-5)
        // The cache holds the unit-loss gradient on counted rows: probabilities are still the
        // softmax of every row (ignored ones included), and dL = 2 doubles the gradient.
        let twice = TimeSoftmaxWithLoss(ignoredLabel: 3)
        _ = twice.forward(scores, labels: labels)
        let softmax = SoftmaxWithLoss()
        _ = softmax.forward(rows, labels: labels.ids.map { $0 == 3 ? 0 : $0 })
        #expect(twice.probabilities!.reshaped([6, 4]).isApproximatelyEqual(to: softmax.probabilities!, tolerance: 1e-6))
        #expect(twice.backward(2).isApproximatelyEqual(to: dx * 2, tolerance: 1e-6))
        let allIgnored = TimeSoftmaxWithLoss(ignoredLabel: 0)
        #expect(allIgnored.forward(randomSequence(1, 2, 3, seed: 1), labels: SequenceBatch(sequence: [0, 0])) == 0)
        #expect(allIgnored.backward(1) == Tensor(shape: [1, 2, 3]))
    }

    /// Past 2²⁰ scores the softmax runs on two threads by rows: the same loss and gradient.
    @Test func largeSoftmaxSplitOverThreadsAgreesWithTheMatrixLoss() {
        let scores = randomSequence(4, 150, 1800, seed: 8, scale: 3)
        let labels = SequenceBatch(ids: (0..<600).map { ($0 * 7919) % 1800 }, batchSize: 4, timeSize: 150)
        let reference = SoftmaxWithLoss()
        let expected = reference.forward(scores.reshaped([600, 1800]), labels: labels.ids)
        let loss = TimeSoftmaxWithLoss()
        #expect(abs(loss.forward(scores, labels: labels) - expected) < 1e-4)
        #expect(loss.backward(1).reshaped([600, 1800]).isApproximatelyEqual(to: reference.backward(1), tolerance: 1e-7))
    }

    @Test func softmaxWithLossIsStableForLargeScores() {
        let loss = TimeSoftmaxWithLoss()
        let scores = Tensor(shape: [1, 2, 3], scalars: [1000, 0, -1000, 0, 0, 0])
        let value = loss.forward(scores, labels: SequenceBatch(sequence: [2, 1]))
        #expect(abs(value - Float((2000 + Double.log(3)) / 2)) < 1e-2)
        #expect(loss.backward(1).scalars.allSatisfy { $0.isFinite })
    }

    /// The initial state's gradient and a gradient flowing into the final state (an encoder feeding
    /// a decoder) against numerical derivatives.
    @Test func lstmStateGradients() {
        var generator = SplitMix64(seed: 21)
        let lstm = TimeLSTM(inputSize: 3, hiddenSize: 4, using: &generator)
        let (r, q, s) = (randomSequence(2, 3, 4, seed: 1), randomMatrix(2, 4, seed: 2), randomMatrix(2, 4, seed: 3))
        let inputs = [randomSequence(2, 3, 3, seed: 4), randomMatrix(2, 4, seed: 5, scale: 0.5), randomMatrix(2, 4, seed: 6)]
        let result = GradientCheck.compare(
            inputs: inputs, parameters: lstm.parameters,
            objective: { xs in
                lstm.setState(LSTMState(hidden: xs[1], cell: xs[2]))
                let hs = lstm.forward(xs[0], training: true)
                return projected(hs, r) + projected(lstm.finalState!.hidden, q) + projected(lstm.finalState!.cell, s)
            },
            analytic: { xs in
                lstm.setState(LSTMState(hidden: xs[1], cell: xs[2]))
                _ = lstm.forward(xs[0], training: true)
                let dxs = lstm.backward(r, finalStateGradient: LSTMState(hidden: q, cell: s))
                return [dxs, lstm.initialStateGradient!.hidden, lstm.initialStateGradient!.cell]
            })
        #expect(result.inputErrors.count == 3 && result.parameterErrors.count == 3)
        #expect(result.maxRelativeError < gradientTolerance, "\(result)")
    }

    @Test func rnnStateGradients() {
        var generator = SplitMix64(seed: 22)
        let rnn = TimeRNN(inputSize: 3, hiddenSize: 4, using: &generator)
        let (r, q) = (randomSequence(2, 3, 4, seed: 1), randomMatrix(2, 4, seed: 2))
        let result = GradientCheck.compare(
            inputs: [randomSequence(2, 3, 3, seed: 4), randomMatrix(2, 4, seed: 5, scale: 0.5)], parameters: rnn.parameters,
            objective: { xs in
                rnn.setState(xs[1])
                return projected(rnn.forward(xs[0], training: true), r) + projected(rnn.finalState!, q)
            },
            analytic: { xs in
                rnn.setState(xs[1])
                _ = rnn.forward(xs[0], training: true)
                return [rnn.backward(r, finalStateGradient: q), rnn.initialStateGradient!]
            })
        #expect(result.maxRelativeError < gradientTolerance, "\(result)")
    }

    /// Truncated BPTT keeps the forward state: two chunks of T steps give the same hidden states as
    /// one chunk of 2T steps.
    @Test func statefulChunksEqualOneLongChunk() {
        var generator = SplitMix64(seed: 31)
        let xs = randomSequence(3, 8, 5, seed: 32)
        let lstm = TimeLSTM(inputSize: 5, hiddenSize: 6, stateful: true, using: &generator)
        let whole = lstm.forward(xs, training: true)
        let wholeState = lstm.finalState!
        lstm.resetState()
        let first = lstm.forward(timeSlice(xs, 0..<4), training: true)
        let second = lstm.forward(timeSlice(xs, 4..<8), training: true)
        #expect(first.isApproximatelyEqual(to: timeSlice(whole, 0..<4), tolerance: 1e-6))
        #expect(second.isApproximatelyEqual(to: timeSlice(whole, 4..<8), tolerance: 1e-5))
        #expect(lstm.state!.cell.isApproximatelyEqual(to: wholeState.cell, tolerance: 1e-5))
        // Not stateful: the second chunk starts from zeros again, and differs.
        lstm.isStateful = false
        lstm.resetState()
        _ = lstm.forward(timeSlice(xs, 0..<4), training: true)
        #expect(!lstm.forward(timeSlice(xs, 4..<8), training: true).isApproximatelyEqual(to: second, tolerance: 1e-3))

        let rnn = TimeRNN(inputSize: 5, hiddenSize: 6, stateful: true, using: &generator)
        let rnnWhole = rnn.forward(xs, training: true)
        rnn.resetState()
        _ = rnn.forward(timeSlice(xs, 0..<4), training: true)
        #expect(rnn.forward(timeSlice(xs, 4..<8), training: true).isApproximatelyEqual(to: timeSlice(rnnWhole, 4..<8), tolerance: 1e-5))
    }

    /// The fused LSTM (one sgemm for x·Wx over all steps, gate kernel over raw buffers) against a
    /// step-by-step reference written with Tensor operations, forward and backward.
    @Test func fusedLSTMMatchesStepByStepReference() {
        var generator = SplitMix64(seed: 41)
        let (n, t, d, h) = (2, 5, 3, 4)
        let lstm = TimeLSTM(inputSize: d, hiddenSize: h, using: &generator)
        lstm.bias.value = randomMatrix(1, 4 * h, seed: 42).reshaped([4 * h])
        let xs = randomSequence(n, t, d, seed: 43)
        let hs = lstm.forward(xs, training: true)

        func sigmoid(_ x: Tensor) -> Tensor { x.map { 1 / (1 + Float.exp(-$0)) } }
        func tanh(_ x: Tensor) -> Tensor { x.map { Float.tanh($0) } }
        func columns(_ x: Tensor, _ block: Int) -> Tensor {
            Tensor((0..<x.shape[0]).map { Array(x.row($0)[(block * h)..<((block + 1) * h)]) })
        }
        var hPrev = Tensor(shape: [n, h]), cPrev = Tensor(shape: [n, h])
        for s in 0..<t {
            let x = timeSlice(xs, s..<(s + 1)).reshaped([n, d])
            let a = Tensor.matmul(x, lstm.inputWeight.value) + Tensor.matmul(hPrev, lstm.hiddenWeight.value) + lstm.bias.value
            let (f, g, i, o) = (sigmoid(columns(a, 0)), tanh(columns(a, 1)), sigmoid(columns(a, 2)), sigmoid(columns(a, 3)))
            cPrev = f * cPrev + g * i
            hPrev = o * tanh(cPrev)
            #expect(timeSlice(hs, s..<(s + 1)).reshaped([n, h]).isApproximatelyEqual(to: hPrev, tolerance: 1e-5))
        }
        #expect(lstm.finalState!.cell.isApproximatelyEqual(to: cPrev, tolerance: 1e-5))
    }

    /// Weight tying: the embedding and the output layer share one parameter; the gradient check of
    /// embedding → affine → loss sees the sum of both uses, and clipping treats it once.
    @Test func tiedWeightsShareOneParameter() {
        var generator = SplitMix64(seed: 51)
        let embedding = TimeEmbedding(vocabularySize: 6, dimension: 3, standardDeviation: 0.5, using: &generator)
        let output = TimeAffine(tiedTo: embedding.weight, bias: Parameter(Tensor(shape: [6]), name: "b"))
        let loss = TimeSoftmaxWithLoss()
        let inputs = SequenceBatch(ids: [0, 1, 2, 5, 5, 3], batchSize: 2, timeSize: 3)
        let labels = SequenceBatch(ids: [1, 2, 3, 5, 3, 0], batchSize: 2, timeSize: 3)
        let parameters = embedding.parameters + output.parameters
        #expect(distinctParameters(parameters).count == 2)
        #expect(output.weight === embedding.weight && output.inputSize == 3 && output.outputSize == 6)
        let result = GradientCheck.compare(
            inputs: [], parameters: parameters,
            objective: { _ in Double(loss.forward(output.forward(embedding.forward(inputs), training: true), labels: labels)) },
            analytic: { _ in
                _ = loss.forward(output.forward(embedding.forward(inputs), training: true), labels: labels)
                embedding.backward(output.backward(loss.backward(1)))
                return []
            })
        #expect(result.parameterErrors.count == 2)
        #expect(result.maxRelativeError < gradientTolerance, "\(result)")
        #expect(embedding.weight.hasDenseGradient == false)
        // Both gradients present: the optimizer applies their sum in one step.
        _ = loss.forward(output.forward(embedding.forward(inputs), training: true), labels: labels)
        embedding.backward(output.backward(loss.backward(1)))
        let total = embedding.weight.densifiedGradient()
        let before = embedding.weight.value
        var sgd = SGD(learningRate: 0.5)
        sgd.update(parameters)
        #expect(embedding.weight.value.isApproximatelyEqual(to: before - total * 0.5, tolerance: 1e-6))
    }

    @Test func clippingCoversEveryTimeLayerParameter() {
        var generator = SplitMix64(seed: 61)
        let lstm = TimeLSTM(inputSize: 3, hiddenSize: 4, using: &generator)
        let affine = TimeAffine(inputSize: 4, outputSize: 5, using: &generator)
        let parameters = lstm.parameters + affine.parameters
        _ = lstm.backward(affine.backward(affine.forward(lstm.forward(randomSequence(2, 3, 3, seed: 1), training: true),
                                                         training: true) * 100))
        let norm = parameters.clipGradients(maxNorm: 0.25)
        #expect(norm > 0.25)
        #expect(abs(parameters.gradientNorm() - 0.25) < 1e-3)
    }

    @Test func dropoutMasksAndScales() {
        let x = Tensor(shape: [2, 50, 4], repeating: 1)
        let variational = TimeDropout(rate: 0.5, variational: true, seed: 9)
        let y = variational.forward(x, training: true)
        for b in 0..<2 {
            let first = timeSlice(y, 0..<1).reshaped([2, 4]).row(b)
            for s in 1..<50 { #expect(timeSlice(y, s..<(s + 1)).reshaped([2, 4]).row(b) == first) }
        }
        #expect(y.scalars.allSatisfy { $0 == 0 || $0 == 2 })
        let plain = TimeDropout(rate: 0.5, seed: 9)
        let z = plain.forward(x, training: true)
        let kept = z.scalars.filter { $0 != 0 }.count
        #expect(kept > 150 && kept < 250)
        #expect(plain.forward(x, training: false) == x)
    }

    @Test func validationNamesTheShape() {
        #expect(throws: NeuralNetworkError.self) {
            try Validate.sequence(Tensor(shape: [2, 3]), width: 3, "TimeLSTM.forward")
        }
        #expect(throws: NeuralNetworkError.self) {
            try Validate.sequence(Tensor(shape: [2, 3, 4]), width: 5, "TimeLSTM.forward")
        }
        do {
            try Validate.sequence(Tensor(shape: [2, 3, 4]), width: 5, "TimeLSTM.forward")
        } catch {
            #expect(error.problem.contains("[N, T, 5]") && error.problem.contains("[2, 3, 4]"))
        }
        let batch = SequenceBatch(ids: [1, 2, 3, 4, 5, 6], batchSize: 3, timeSize: 2)
        #expect(batch.selecting([2, 0]) == SequenceBatch(ids: [5, 6, 1, 2], batchSize: 2, timeSize: 2))
        #expect(batch[1, 1] == 4)
    }
}
