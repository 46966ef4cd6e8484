/// The settings of a recurrent language model and of its training (Saitoh, "Deep Learning from
/// Scratch 2", ch. 6; Zaremba, Sutskever & Vinyals 2014, "Recurrent Neural Network Regularization").
///
/// The presets reproduce the published settings: ``rnnlm`` (the book's Rnnlm, ch. 6),
/// ``small`` (Zaremba et al.'s small model) and ``better`` (the book's BetterRnnlm).
public struct LanguageModelConfiguration: Codable, Sendable, Equatable {
    /// How parameters are updated.
    public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
        /// Plain SGD (with the learning-rate schedule of ``LanguageModelConfiguration``).
        case sgd
        /// Adam (Kingma & Ba 2015); the schedule applies to its step size too.
        case adam
    }

    /// How a new model's parameters are drawn.
    public enum Initialization: Codable, Sendable, Equatable {
        /// The book's Rnnlm and BetterRnnlm (Saitoh 2, §6.4-6.5): weights N(0, 1/fanIn) (the
        /// embedding N(0, 0.01²)), biases 0.
        case scaledNormal
        /// Every parameter, biases included, from U(−limit, limit): Zaremba et al. 2014 (0.1 for
        /// the small model) and PyTorch's word_language_model example.
        case uniform(limit: Float)
    }

    /// Stacked LSTM layers (at least 1).
    public var layers = 1
    /// Width of the word embedding.
    public var embeddingSize = 100
    /// Width of each LSTM's hidden state.
    public var hiddenSize = 100
    /// Steps of truncated backpropagation through time (the chunk length T).
    public var timeSize = 35
    /// Parallel streams per mini-batch (N).
    public var batchSize = 20
    /// Dropout rate after the embedding, between LSTM layers and before the output layer (0: none).
    public var dropout: Float = 0
    /// Share one dropout mask over the time steps of a sequence (Gal & Ghahramani 2016).
    public var variationalDropout = false
    /// Tie the output layer's weight to the embedding (needs embeddingSize == hiddenSize).
    public var tieWeights = false
    /// The optimizer.
    public var optimizer: OptimizerKind = .sgd
    /// The initial learning rate.
    public var learningRate: Float = 20
    /// Global L2 norm above which gradients are scaled down (Pascanu et al. 2013).
    public var clip: Float = 0.25
    /// Passes over the training corpus.
    public var epochs = 4
    /// The learning-rate schedule: nil divides the rate by ``learningRateDivisor`` whenever the
    /// validation perplexity of an epoch is worse than the best so far (the book); a number N
    /// divides it at the start of every epoch after the N-th (Zaremba et al.: after 4, by 2).
    public var decayAfterEpoch: Int? = nil
    /// What the learning rate is divided by when it decays.
    public var learningRateDivisor: Float = 4
    /// How fresh parameters are drawn: the book's scaled normal by default.
    public var initialization: Initialization = .scaledNormal
    /// The seed of initialisation and dropout masks.
    public var seed: UInt64 = 1

    public init() {}

    /// The book's Rnnlm (ch. 6): 1 layer, 100/100, time 35, batch 20, SGD lr 20, clip 0.25, 4 epochs,
    /// the book's initialisation.
    public static var rnnlm: LanguageModelConfiguration { LanguageModelConfiguration() }

    /// Zaremba et al. 2014 "small": 2 layers, 200/200, time 20, batch 20, 13 epochs, the learning
    /// rate halved each epoch after the 4th, no dropout, U(−0.1, 0.1) initialisation.
    ///
    /// Their lr 1 and clip 5 apply to a cost summed over the 20 steps (and averaged over the
    /// batch); this toolkit's loss is the mean over steps too (the book's), whose gradient is 20
    /// times smaller, so the same updates are lr 20 and clip 0.25 here — the book's settings.
    /// (Taken literally, lr 1 on the mean loss underfits: test perplexity 166 after 13 epochs.)
    public static var small: LanguageModelConfiguration {
        var c = LanguageModelConfiguration()
        c.initialization = .uniform(limit: 0.1)
        c.layers = 2
        c.embeddingSize = 200
        c.hiddenSize = 200
        c.timeSize = 20
        c.learningRate = 20
        c.clip = 0.25
        c.epochs = 13
        c.decayAfterEpoch = 4
        c.learningRateDivisor = 2
        return c
    }

    /// The book's BetterRnnlm (ch. 6.5): 2 x 650, dropout 0.5, tied weights, time 35, batch 20,
    /// lr 20 divided by 4 on a validation plateau, clip 0.25, 40 epochs.
    public static var better: LanguageModelConfiguration {
        var c = LanguageModelConfiguration()
        c.layers = 2
        c.embeddingSize = 650
        c.hiddenSize = 650
        c.dropout = 0.5
        c.tieWeights = true
        c.epochs = 40
        return c
    }

    /// The preset names, in the order of ``preset(named:)``.
    public static let presetNames = ["rnnlm", "small", "better"]

    /// The preset called `name`.
    public static func preset(named name: String) throws(LanguageModelError) -> LanguageModelConfiguration {
        switch name {
        case "rnnlm": return .rnnlm
        case "small": return .small
        case "better": return .better
        default: throw .unknownPreset(name: name, known: presetNames)
        }
    }

    /// Throws ``LanguageModelError/invalidConfiguration(reason:)`` for out-of-range settings.
    public func validate() throws(LanguageModelError) {
        func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws(LanguageModelError) {
            if !condition { throw .invalidConfiguration(reason: reason()) }
        }
        try require((1...16).contains(layers), "the number of layers must be between 1 and 16, but it is \(layers)")
        try require((1...100_000).contains(embeddingSize), "the embedding size must be between 1 and 100000, but it is \(embeddingSize)")
        try require((1...100_000).contains(hiddenSize), "the hidden size must be between 1 and 100000, but it is \(hiddenSize)")
        try require((1...10_000).contains(timeSize), "the time size must be between 1 and 10000, but it is \(timeSize)")
        try require((1...100_000).contains(batchSize), "the batch size must be between 1 and 100000, but it is \(batchSize)")
        try require(dropout >= 0 && dropout < 1, "the dropout rate must be in [0, 1), but it is \(dropout)")
        try require(!tieWeights || embeddingSize == hiddenSize,
                    "tied weights need the embedding size (\(embeddingSize)) to equal the hidden size (\(hiddenSize))")
        try require(learningRate > 0 && learningRate.isFinite, "the learning rate must be positive, but it is \(learningRate)")
        try require(clip > 0 && clip.isFinite, "the clipping threshold must be positive, but it is \(clip)")
        try require((1...100_000).contains(epochs), "the number of epochs must be between 1 and 100000, but it is \(epochs)")
        if let decayAfterEpoch { try require(decayAfterEpoch >= 0, "the decay epoch must not be negative, but it is \(decayAfterEpoch)") }
        try require(learningRateDivisor >= 1 && learningRateDivisor.isFinite,
                    "the learning-rate divisor must be at least 1, but it is \(learningRateDivisor)")
        if case let .uniform(limit) = initialization {
            try require(limit > 0 && limit.isFinite, "the initialisation limit must be positive, but it is \(limit)")
        }
    }
}
