/// The record of a training run kept with the model: loss and learning rate as training went on,
/// and, for models that have them, validation figures per epoch (perplexity for a language model,
/// accuracy for seq2seq or an image classifier).
///
/// Every trainer of the toolkit fills one (word2vec per percent of training, the sequence and
/// vision models per epoch); the store keeps it in the model's metadata as JSON, `w2v info`
/// prints it and `w2v plot --loss` draws it. A value: it is data about a run, not a run.
public struct TrainingHistory: Codable, Sendable, Equatable {
    /// One point of the curve.
    public struct Point: Codable, Sendable, Equatable {
        /// Where in training this point was taken, in ``TrainingHistory/unit``s: percent of all
        /// training work (0...100) for word2vec, the epoch number (1, 2, ...) for epoch-based trainers.
        public var position: Double
        /// Mean training loss since the previous point (nil if the trainer has none, e.g. PPMI-SVD).
        public var loss: Double?
        /// The learning rate at this point.
        public var learningRate: Double?
        /// Validation figures at this point, by name: e.g. `["valid_perplexity": 141.2]`,
        /// `["test_accuracy": 0.98]`. Empty when none were measured.
        public var validation: [String: Double]
        /// Seconds since training began.
        public var elapsedSeconds: Double?

        public init(position: Double, loss: Double? = nil, learningRate: Double? = nil,
                    validation: [String: Double] = [:], elapsedSeconds: Double? = nil) {
            self.position = position
            self.loss = loss
            self.learningRate = learningRate
            self.validation = validation
            self.elapsedSeconds = elapsedSeconds
        }
    }

    /// What ``Point/position`` counts: `"percent"` or `"epoch"`.
    public var unit: String
    /// The points in training order.
    public var points: [Point]

    public init(unit: String, points: [Point] = []) {
        self.unit = unit
        self.points = points
    }

    /// Appends a point (positions are expected in increasing order).
    public mutating func append(_ point: Point) { points.append(point) }

    /// The metadata key under which stores keep a model's history (JSON of this type).
    public static let metadataKey = "trainingHistory"
}
