import NeuralNetwork
import TensorCore

/// What one epoch of training measured.
public struct EpochSummary: Codable, Sendable, Equatable {
    /// 1, 2, ...
    public var epoch: Int
    /// exp(mean training cross-entropy) over the epoch.
    public var trainPerplexity: Double
    /// Perplexity on the validation corpus after the epoch (nil without one).
    public var validPerplexity: Double?
    /// Training tokens per second (forward, backward and update; validation not included).
    public var wordsPerSecond: Double
    /// Seconds of the epoch, validation included.
    public var seconds: Double
    /// The learning rate used in the epoch.
    public var learningRate: Double

    enum CodingKeys: String, CodingKey {
        case epoch, seconds
        case trainPerplexity = "train_perplexity", validPerplexity = "valid_perplexity"
        case wordsPerSecond = "words_per_second", learningRate = "learning_rate"
    }
}

/// The outcome of ``LanguageModelTrainer/train(_:training:validation:progress:cancellation:epochFinished:)``.
public struct LanguageModelTrainingResult: Sendable {
    /// The epochs that ran to the end.
    public var epochs: [EpochSummary]
    /// The curve kept with the model (unit "epoch"; loss = mean training cross-entropy,
    /// validation `valid_perplexity`).
    public var history: TrainingHistory
    /// The best validation perplexity and its epoch (nil without validation or before the first epoch ended).
    public var bestValidPerplexity: Double?
    public var bestEpoch: Int?
    /// Whether training stopped early through the cancellation flag. The model then holds the best
    /// parameters so far (the last ones when no epoch had finished).
    public var wasCancelled: Bool
}

/// Trains a ``RecurrentLanguageModel`` by truncated BPTT over N parallel streams (Saitoh 2, ch. 5-6).
///
/// Per chunk: forward with the carried state, mean cross-entropy over the N·T predictions,
/// backward (cut at the chunk start), global-norm clipping, one optimizer step. After each epoch
/// the validation perplexity exp(mean cross-entropy) is measured; with SGD (or Adam) and no
/// fixed decay epoch, the learning rate is divided by 4 when it is worse than the best so far
/// (the book); with ``LanguageModelConfiguration/decayAfterEpoch`` it is divided at the start of
/// every later epoch (Zaremba et al.). At the end the model keeps the parameters of its best
/// validation epoch.
public struct LanguageModelTrainer {
    public let configuration: LanguageModelConfiguration
    /// At most this many chunks per epoch (nil: the whole corpus), for quick measurements
    /// (PyTorch's word_language_model calls it --max-batches).
    public var chunkLimit: Int?

    public init(configuration: LanguageModelConfiguration, chunkLimit: Int? = nil) {
        self.configuration = configuration
        self.chunkLimit = chunkLimit
    }

    /// Trains `model` on `training` (ids), validating on `validation` after every epoch.
    /// Progress reports: stage `"epoch E/N"`, fraction of all training, words/s of the epoch,
    /// learning rate, loss (mean cross-entropy of the epoch so far) and its perplexity.
    /// - Throws: ``LanguageModelError/corpusTooShort(path:tokens:needed:)`` (path "training"),
    ///   ``LanguageModelError/diverged(epoch:)``.
    public func train(_ model: RecurrentLanguageModel, training: [Int], validation: [Int]?,
                      progress: ((ProgressReport) -> Void)? = nil, cancellation: CancellationFlag? = nil,
                      epochFinished: ((EpochSummary) -> Void)? = nil) throws(LanguageModelError) -> LanguageModelTrainingResult {
        let c = configuration
        try c.validate()
        let needed = StreamBatches.minimumTokens(batchSize: c.batchSize)
        guard training.count >= needed else { throw .corpusTooShort(path: "training", tokens: training.count, needed: needed) }
        let batches = StreamBatches(ids: training, batchSize: c.batchSize, timeSize: c.timeSize)
        var optimizer: any Optimizer = c.optimizer == .sgd ? SGD(learningRate: c.learningRate) as any Optimizer
            : Adam(learningRate: c.learningRate)
        var learningRate = c.learningRate
        let parameters = model.trainableParameters
        var history = TrainingHistory(unit: "epoch")
        var epochs: [EpochSummary] = []
        var best: (perplexity: Double, epoch: Int, values: [Tensor])?
        let start = monotonicSeconds()
        var cancelled = false

        epochLoop: for epoch in 1...c.epochs {
            if let after = c.decayAfterEpoch, epoch > after { learningRate /= c.learningRateDivisor }
            optimizer.learningRate = learningRate
            model.resetState()
            let epochStart = monotonicSeconds()
            var lossSum = 0.0, words = 0
            let chunks = min(batches.chunkCount, chunkLimit ?? .max)
            for index in 0..<chunks {
                if cancellation?.isCancelled == true { cancelled = true; break epochLoop }
                let (inputs, targets) = batches.chunk(index)
                let loss = model.loss(inputs: inputs, targets: targets, training: true)
                guard loss.isFinite else { throw .diverged(epoch: epoch) }
                parameters.zeroGradients()
                model.backward()
                optimizer.update(parameters, gradientScale: parameters.clippingScale(maxNorm: c.clip).scale)
                lossSum += Double(loss) * Double(targets.ids.count)
                words += targets.ids.count
                if let progress, index % 10 == 0 || index == chunks - 1 {
                    let elapsed = monotonicSeconds() - epochStart
                    let meanLoss = lossSum / Double(max(words, 1))
                    let fraction = (Double(epoch - 1) + Double(index + 1) / Double(chunks)) / Double(c.epochs)
                    var report = ProgressReport(stage: "epoch \(epoch)/\(c.epochs)", fraction: fraction, processedWords: words,
                                                wordsPerSecond: elapsed > 0 ? Double(words) / elapsed : 0,
                                                elapsedSeconds: monotonicSeconds() - start,
                                                learningRate: Double(learningRate), loss: meanLoss)
                    report.perplexity = Double.exp(meanLoss)
                    progress(report)
                }
            }
            let trainSeconds = monotonicSeconds() - epochStart
            let meanLoss = lossSum / Double(max(words, 1))
            var validPerplexity: Double?
            if let validation {
                let measured = try perplexity(of: model, ids: validation, cancellation: cancellation)
                if measured == nil { cancelled = true; break epochLoop }
                validPerplexity = measured
            }
            let summary = EpochSummary(epoch: epoch, trainPerplexity: Double.exp(meanLoss), validPerplexity: validPerplexity,
                                       wordsPerSecond: trainSeconds > 0 ? Double(words) / trainSeconds : 0,
                                       seconds: monotonicSeconds() - epochStart, learningRate: Double(learningRate))
            epochs.append(summary)
            history.append(TrainingHistory.Point(position: Double(epoch), loss: meanLoss, learningRate: Double(learningRate),
                                                 validation: validPerplexity.map { ["valid_perplexity": $0] } ?? [:],
                                                 elapsedSeconds: monotonicSeconds() - start))
            epochFinished?(summary)
            if let validPerplexity {
                if best == nil || validPerplexity < best!.perplexity {
                    best = (validPerplexity, epoch, model.parameters.map(\.value))
                } else if c.decayAfterEpoch == nil {
                    learningRate /= c.learningRateDivisor
                }
            }
        }
        if let best {
            for (parameter, value) in zip(model.parameters, best.values) { parameter.value = value }
        }
        model.resetState()
        return LanguageModelTrainingResult(epochs: epochs, history: history, bestValidPerplexity: best?.perplexity,
                                           bestEpoch: best?.epoch, wasCancelled: cancelled)
    }

    /// exp(mean cross-entropy) of `model` on `ids`, read as ``StreamBatches`` of the training batch
    /// and time sizes (fewer streams for a short corpus), without dropout; nil when cancelled.
    public func perplexity(of model: RecurrentLanguageModel, ids: [Int],
                           cancellation: CancellationFlag? = nil) throws(LanguageModelError) -> Double? {
        try Self.evaluate(model, ids: ids, batchSize: configuration.batchSize, timeSize: configuration.timeSize,
                          cancellation: cancellation).map(\.perplexity)
    }

    /// Perplexity and the number of predicted tokens of `model` on `ids` (the state is reset
    /// before and after); nil when cancelled.
    public static func evaluate(_ model: RecurrentLanguageModel, ids: [Int], batchSize: Int, timeSize: Int,
                                progress: ((ProgressReport) -> Void)? = nil,
                                cancellation: CancellationFlag? = nil) throws(LanguageModelError)
        -> (perplexity: Double, tokens: Int)? {
        let streams = min(batchSize, ids.count / 2)
        guard streams >= 1 else { throw .corpusTooShort(path: "evaluation", tokens: ids.count, needed: 2) }
        let batches = StreamBatches(ids: ids, batchSize: streams, timeSize: timeSize)
        model.resetState()
        defer { model.resetState() }
        let loss = TimeSoftmaxWithLoss()
        var total = 0.0, tokens = 0
        let start = monotonicSeconds()
        for index in 0..<batches.chunkCount {
            if cancellation?.isCancelled == true { return nil }
            let (inputs, targets) = batches.chunk(index)
            _ = loss.forward(consuming: model.scores(inputs, training: false), labels: targets)
            total += loss.meanLoss * Double(targets.ids.count)
            tokens += targets.ids.count
            if let progress, index % 10 == 0 {
                let elapsed = monotonicSeconds() - start
                progress(ProgressReport(stage: "evaluating", fraction: Double(index + 1) / Double(batches.chunkCount),
                                        processedWords: tokens, wordsPerSecond: elapsed > 0 ? Double(tokens) / elapsed : 0,
                                        elapsedSeconds: elapsed))
            }
        }
        return (Double.exp(total / Double(max(tokens, 1))), tokens)
    }
}
