import NeuralNetwork
import TensorCore

/// The seed's CNN experiment on a labelled image set: a ``SimpleConvNet`` and a
/// ``FullyConnectedNet`` of about the same parameter count, trained with the same settings on the
/// same seeded split, scored on the same held-out images.
public struct ClassifierComparison {
    /// What the two networks are and how they are trained.
    public struct Configuration: Sendable, Equatable {
        public var architecture: SimpleConvNet.Architecture
        public var training: ImageTrainingSettings
        /// The fraction of the data used for training (the rest is held out).
        public var trainingFraction: Double
        /// Seeds the split and both networks' weights (the mini-batch order is `training.seed`).
        public var seed: UInt64

        public init(architecture: SimpleConvNet.Architecture = .digits, training: ImageTrainingSettings = ImageTrainingSettings(),
                    trainingFraction: Double = 0.8, seed: UInt64 = 1) {
            self.architecture = architecture
            self.training = training
            self.trainingFraction = trainingFraction
            self.seed = seed
        }
    }

    /// One network's figures.
    public struct Outcome: Sendable {
        public var name: String
        public var parameterCount: Int
        /// Held-out accuracy after the last epoch.
        public var testAccuracy: Double
        /// Accuracy on the training images after the last epoch.
        public var trainingAccuracy: Double
        /// Seconds spent in training (not evaluation).
        public var trainingSeconds: Double
        /// Per-epoch training loss (no per-epoch evaluation, so that the seconds are training only).
        public var history: TrainingHistory
    }

    public var convolutional: Outcome
    public var baseline: Outcome
    public var trainingCount: Int
    public var testCount: Int
    /// The trained convolutional network (for its filters).
    public var network: SimpleConvNet

    /// Splits `data`, trains both networks and scores them. Progress of both trainings goes to
    /// `progress` (stages "training SimpleConvNet" and "training fully connected").
    /// - Throws: ``ImageRecognitionError`` for bad settings, a split that leaves a side empty, or
    ///   images the architecture does not fit.
    public static func run(on data: ImageDataSet, configuration: Configuration = Configuration(),
                           progress: ((ProgressReport) -> Void)? = nil,
                           cancellation: CancellationFlag? = nil) throws(ImageRecognitionError) -> ClassifierComparison {
        var architecture = configuration.architecture
        architecture.imageShape = data.imageShape
        architecture.classCount = data.classCount
        try configuration.training.validate()
        let (training, test) = try data.split(trainingFraction: configuration.trainingFraction, seed: configuration.seed)
        let cnn = try SimpleConvNet(architecture: architecture, seed: configuration.seed &+ 1)
        let baseline = try FullyConnectedNet(imageShape: data.imageShape, matchingParameterCount: cnn.parameterCount,
                                             classCount: data.classCount, batchNormalization: architecture.batchNormalization,
                                             dropoutRate: architecture.dropoutRate, seed: configuration.seed &+ 2)
        func outcome(_ classifier: any ImageClassifier) throws(ImageRecognitionError) -> Outcome {
            let start = monotonicSeconds()
            let history = try classifier.train(on: training, settings: configuration.training,
                                               progress: progress, cancellation: cancellation)
            let seconds = monotonicSeconds() - start
            return Outcome(name: classifier.name, parameterCount: classifier.parameterCount,
                           testAccuracy: try classifier.accuracy(on: test), trainingAccuracy: try classifier.accuracy(on: training),
                           trainingSeconds: seconds, history: history)
        }
        return ClassifierComparison(convolutional: try outcome(cnn), baseline: try outcome(baseline),
                                    trainingCount: training.count, testCount: test.count, network: cnn)
    }
}
