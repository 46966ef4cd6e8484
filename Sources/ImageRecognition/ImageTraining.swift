import NeuralNetwork
import TensorCore

/// How an ``ImageClassifier`` is trained: Adam (Kingma & Ba 2015) on shuffled mini-batches.
public struct ImageTrainingSettings: Sendable, Equatable {
    /// Passes over the training set.
    public var epochs: Int
    /// Images per mini-batch (the last batch of an epoch may be smaller).
    public var batchSize: Int
    /// Adam's step size α.
    public var learningRate: Float
    /// L2 weight decay λ (0 = none).
    public var weightDecay: Float
    /// Seeds the mini-batch order.
    public var seed: UInt64

    public init(epochs: Int = 20, batchSize: Int = 50, learningRate: Float = 0.001, weightDecay: Float = 0, seed: UInt64 = 1) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.seed = seed
    }

    /// - Throws: ``ImageRecognitionError/invalidSetting(name:value:requirement:)`` for the first bad value.
    public func validate() throws(ImageRecognitionError) {
        if epochs < 1 { throw .invalidSetting(name: "number of epochs", value: "\(epochs)", requirement: "at least 1") }
        if batchSize < 1 { throw .invalidSetting(name: "batch size", value: "\(batchSize)", requirement: "at least 1") }
        if !(learningRate > 0 && learningRate.isFinite) {
            throw .invalidSetting(name: "learning rate", value: "\(learningRate)", requirement: "positive and finite")
        }
        if !(weightDecay >= 0 && weightDecay.isFinite) {
            throw .invalidSetting(name: "weight decay", value: "\(weightDecay)", requirement: "non-negative and finite")
        }
    }
}

extension ImageClassifier {
    /// The number of trainable scalars.
    public var parameterCount: Int { network.parameters.reduce(0) { $0 + $1.value.count } }

    /// The predicted class of every image (inference mode), in batches of `batchSize`.
    public func predictions(for images: Tensor, batchSize: Int = 256) -> [Int] {
        let n = images.exampleCount
        var out: [Int] = []
        out.reserveCapacity(n)
        for start in stride(from: 0, to: n, by: max(batchSize, 1)) {
            let batch = Array(start..<min(start + max(batchSize, 1), n))
            out += network.predict(images.selecting(batch)).argmaxRows()
        }
        return out
    }

    /// The fraction of `data` classified correctly (0 for an empty set).
    /// - Throws: ``ImageRecognitionError/imageShapeMismatch(expected:actual:)``.
    public func accuracy(on data: ImageDataSet) throws(ImageRecognitionError) -> Double {
        try checkShape(of: data)
        guard data.count > 0 else { return 0 }
        let predicted = predictions(for: data.images)
        return Double(zip(predicted, data.labels).filter { $0 == $1 }.count) / Double(data.count)
    }

    /// Trains on `data` for `settings.epochs` epochs; returns one history point per epoch (mean
    /// training loss, and `validation_accuracy` when `validation` is given). Progress goes to
    /// `progress` after every epoch (stage "training <name>", unit "images"); a set
    /// `cancellation` flag stops after the current epoch.
    /// - Throws: ``ImageRecognitionError/invalidSetting(name:value:requirement:)`` for bad settings
    ///   and ``ImageRecognitionError/imageShapeMismatch(expected:actual:)`` for images the network does not take.
    @discardableResult
    public func train(on data: ImageDataSet, settings: ImageTrainingSettings, validation: ImageDataSet? = nil,
                      progress: ((ProgressReport) -> Void)? = nil,
                      cancellation: CancellationFlag? = nil) throws(ImageRecognitionError) -> TrainingHistory {
        try settings.validate()
        try checkShape(of: data)
        if let validation { try checkShape(of: validation) }
        var trainer = Trainer(network: network,
                              optimizer: Adam(learningRate: settings.learningRate),
                              batchSize: settings.batchSize, weightDecay: settings.weightDecay)
        var generator = SplitMix64(seed: settings.seed)
        var history = TrainingHistory(unit: "epoch")
        let start = monotonicSeconds()
        for epoch in 1...settings.epochs {
            if cancellation?.isCancelled == true { break }
            let loss = trainer.trainEpoch(inputs: data.images, labels: data.labels, using: &generator)
            let elapsed = monotonicSeconds() - start
            var figures: [String: Double] = [:]
            if let validation { figures["validation_accuracy"] = try accuracy(on: validation) }
            history.append(.init(position: Double(epoch), loss: Double(loss), learningRate: Double(settings.learningRate),
                                 validation: figures, elapsedSeconds: elapsed))
            progress?(ProgressReport(stage: "training \(name)", fraction: Double(epoch) / Double(settings.epochs),
                                     processedWords: epoch * data.count,
                                     wordsPerSecond: elapsed > 0 ? Double(epoch * data.count) / elapsed : 0,
                                     elapsedSeconds: elapsed, learningRate: Double(settings.learningRate),
                                     loss: Double(loss), unit: "images"))
        }
        return history
    }

    private func checkShape(of data: ImageDataSet) throws(ImageRecognitionError) {
        if data.imageShape != imageShape { throw .imageShapeMismatch(expected: imageShape, actual: data.imageShape) }
    }
}
