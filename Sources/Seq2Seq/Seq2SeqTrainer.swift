import NeuralNetwork
import TensorCore

/// How to train a seq2seq model (the book's ch. 7 settings by default: Adam 0.001, clip 5, batch 128).
public struct Seq2SeqTrainingOptions: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    /// The global L2 norm gradients are clipped to.
    public var maxGradientNorm: Float
    /// The seed of the per-epoch shuffles.
    public var seed: UInt64

    public init(epochs: Int, batchSize: Int = 128, learningRate: Float = 0.001, maxGradientNorm: Float = 5, seed: UInt64 = 1) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.maxGradientNorm = maxGradientNorm
        self.seed = seed
    }

    public func validate() throws(Seq2SeqError) {
        if epochs < 1 { throw .invalidConfiguration(reason: "the number of epochs must be at least 1, not \(epochs)") }
        if batchSize < 1 { throw .invalidConfiguration(reason: "the batch size must be at least 1, not \(batchSize)") }
        if !(learningRate > 0 && learningRate.isFinite) {
            throw .invalidConfiguration(reason: "the learning rate must be a positive number, not \(learningRate)")
        }
        if !(maxGradientNorm > 0) { throw .invalidConfiguration(reason: "the clipping norm must be positive, not \(maxGradientNorm)") }
    }
}

/// One epoch's figures.
public struct Seq2SeqEpoch: Sendable, Equatable {
    public var epoch: Int
    /// The mean training loss over the epoch's mini-batches.
    public var loss: Double
    /// Exact-match accuracy on the held-out examples after the epoch (nil when there are none).
    public var testAccuracy: Double?
    public var seconds: Double
}

/// What training did.
public struct Seq2SeqTrainingResult: Sendable, Equatable {
    public var epochs: [Seq2SeqEpoch]
    /// Loss and `test_accuracy` per epoch (unit "epoch").
    public var history: TrainingHistory
    /// Whether the cancellation flag stopped training (the epochs done so far are kept).
    public var wasCancelled: Bool
    public var testAccuracy: Double? { epochs.last?.testAccuracy }
}

/// Mini-batch training with Adam and gradient clipping, shuffled each epoch by a seeded generator.
public struct Seq2SeqTrainer {
    public var options: Seq2SeqTrainingOptions

    public init(options: Seq2SeqTrainingOptions) { self.options = options }

    public func train(_ model: Seq2SeqModel, training: EncodedExamples, test: EncodedExamples?,
                      progress: (ProgressReport) -> Void = { _ in }, cancellation: CancellationFlag? = nil,
                      epochFinished: (Seq2SeqEpoch) -> Void = { _ in }) throws(Seq2SeqError) -> Seq2SeqTrainingResult {
        try options.validate()
        guard training.count > 0 else { throw .invalidConfiguration(reason: "there are no training examples") }
        var optimizer = Adam(learningRate: options.learningRate)
        var generator = SplitMix64(seed: options.seed)
        let parameters = model.parameters
        var history = TrainingHistory(unit: "epoch")
        var epochs: [Seq2SeqEpoch] = []
        let batchSize = min(options.batchSize, training.count)
        let batchesPerEpoch = (training.count + batchSize - 1) / batchSize
        let start = monotonicSeconds()
        for epoch in 1...options.epochs {
            let epochStart = monotonicSeconds()
            var order = Array(0..<training.count)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, generator.nextIndex(below: i + 1)) }
            var totalLoss = 0.0
            for batch in 0..<batchesPerEpoch {
                if cancellation?.isCancelled == true {
                    return Seq2SeqTrainingResult(epochs: epochs, history: history, wasCancelled: true)
                }
                let indices = Array(order[(batch * batchSize)..<min((batch + 1) * batchSize, order.count)])
                let examples = training.selecting(indices)
                parameters.zeroGradients()
                let loss = model.loss(questions: examples.questions, answers: examples.answers)
                guard loss.isFinite else { throw .diverged(epoch: epoch) }
                model.backward()
                _ = parameters.clipGradients(maxNorm: options.maxGradientNorm)
                optimizer.update(parameters)
                totalLoss += Double(loss)
                let done = Double((epoch - 1) * batchesPerEpoch + batch + 1) / Double(options.epochs * batchesPerEpoch)
                let elapsed = monotonicSeconds() - start
                progress(ProgressReport(stage: "epoch \(epoch)/\(options.epochs)", fraction: done,
                                        processedWords: ((epoch - 1) * batchesPerEpoch + batch + 1) * batchSize,
                                        wordsPerSecond: Double(((epoch - 1) * batchesPerEpoch + batch + 1) * batchSize) / max(elapsed, 1e-9),
                                        elapsedSeconds: elapsed, loss: totalLoss / Double(batch + 1), unit: "examples"))
            }
            let accuracy = test.map { Double(model.correctCount($0)) / Double(max($0.count, 1)) }
            let figures = Seq2SeqEpoch(epoch: epoch, loss: totalLoss / Double(batchesPerEpoch), testAccuracy: accuracy,
                                       seconds: monotonicSeconds() - epochStart)
            epochs.append(figures)
            history.append(TrainingHistory.Point(position: Double(epoch), loss: figures.loss, learningRate: Double(options.learningRate),
                                                 validation: accuracy.map { ["test_accuracy": $0] } ?? [:],
                                                 elapsedSeconds: monotonicSeconds() - start))
            epochFinished(figures)
        }
        return Seq2SeqTrainingResult(epochs: epochs, history: history, wasCancelled: false)
    }
}

extension Seq2SeqModel {
    /// Exact-match accuracy over examples read from a file: questions must fit the model (unseen
    /// symbols and too-long questions are errors); an answer with an unseen symbol or longer than
    /// the answer width simply cannot match.
    public func accuracy(_ examples: [Seq2SeqExample], batchSize: Int = 256) throws(Seq2SeqError) -> (accuracy: Double, examples: Int) {
        var questions: [Int] = []
        var answers: [[Int?]] = []
        for example in examples {
            questions += try vocabulary.encodeQuestion(example.question, width: configuration.questionWidth, line: example.line)
            answers.append(Array(vocabulary.encodeAnswer(example.answer, width: configuration.answerWidth).dropFirst()))
        }
        let batch = SequenceBatch(ids: questions, batchSize: examples.count, timeSize: configuration.questionWidth)
        var correct = 0, start = 0
        while start < examples.count {
            let indices = Array(start..<min(start + batchSize, examples.count))
            let generated = generate(batch.selecting(indices))
            for (k, n) in indices.enumerated() where answers[n] == generated[k].map(Optional.some) { correct += 1 }
            start += batchSize
        }
        return (examples.isEmpty ? 0 : Double(correct) / Double(examples.count), examples.count)
    }
}
