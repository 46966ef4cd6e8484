import NeuralNetwork
import TensorCore
import TextCorpus

/// A word-level LSTM language model: Embedding → (Dropout) → LSTM × L (Dropout between) →
/// (Dropout) → Affine → Softmax (Saitoh 2, §6.4 "Rnnlm" and §6.5 "BetterRnnlm"; Zaremba et al. 2014).
///
/// - ``LanguageModelConfiguration/rnnlm``: the book's Rnnlm (one LSTM, no dropout, untied).
/// - ``LanguageModelConfiguration/better``: the book's BetterRnnlm (two LSTMs, dropout 0.5 in the
///   depth direction, the output weight tied to the embedding, Press & Wolf 2017).
///
/// The LSTMs are stateful: consecutive ``loss(inputs:targets:training:)`` calls continue the
/// streams (truncated BPTT); ``resetState()`` starts them afresh. One forward and backward of a
/// `[N, T]` chunk runs the embedding gather, per LSTM one `[N·T, D] x [D, 4H]` sgemm plus T small
/// ones, and the output layer as one `[N·T, H] x [H, V]` sgemm (and two for its backward).
public final class RecurrentLanguageModel {
    /// The settings the model was built with.
    public let configuration: LanguageModelConfiguration
    /// The words, one per id (the training vocabulary, with `<unk>`).
    public let vocabulary: Vocabulary
    /// The embedding `[V, E]` (shared with the output layer when tied).
    public let embedding: TimeEmbedding
    /// The LSTM layers, bottom first.
    public let lstms: [TimeLSTM]
    /// Dropout after the embedding and after each LSTM (empty without dropout).
    public let dropouts: [TimeDropout]
    /// The output layer `[H, V]` (or the tied embedding used transposed).
    public let output: TimeAffine
    private let lossLayer = TimeSoftmaxWithLoss()
    /// When true (and the weights are not tied) the embedding is not updated by training.
    public var freezesEmbedding = false

    /// V.
    public var vocabularySize: Int { vocabulary.count }

    /// A model with fresh parameters drawn as ``LanguageModelConfiguration/initialization`` says,
    /// from `SplitMix64(seed: configuration.seed)`.
    public convenience init(configuration: LanguageModelConfiguration, vocabulary: Vocabulary) throws(LanguageModelError) {
        try configuration.validate()
        var generator = SplitMix64(seed: configuration.seed)
        let (v, e, h) = (vocabulary.count, configuration.embeddingSize, configuration.hiddenSize)
        /// A weight `[fanIn, fanOut]`, an embedding (`fanIn` nil) or a bias (`isBias`).
        func draw(_ shape: [Int], fanIn: Int?, isBias: Bool = false) -> Tensor {
            switch configuration.initialization {
            case let .uniform(limit):
                return Tensor.randomUniform(shape: shape, in: -limit...limit, using: &generator)
            case .scaledNormal:
                if isBias { return Tensor(shape: shape) }
                let sigma = fanIn.map { 1 / Float($0).squareRoot() } ?? 0.01
                return Tensor.randomNormal(shape: shape, standardDeviation: sigma, using: &generator)
            }
        }
        var tensors: [String: Tensor] = ["embedding": draw([v, e], fanIn: nil)]
        for layer in 0..<configuration.layers {
            let input = layer == 0 ? e : h
            tensors["lstm\(layer).Wx"] = draw([input, 4 * h], fanIn: input)
            tensors["lstm\(layer).Wh"] = draw([h, 4 * h], fanIn: h)
            tensors["lstm\(layer).b"] = draw([4 * h], fanIn: nil, isBias: true)
        }
        if !configuration.tieWeights { tensors["output.W"] = draw([h, v], fanIn: h) }
        tensors["output.b"] = draw([v], fanIn: nil, isBias: true)
        try self.init(configuration: configuration, vocabulary: vocabulary, tensors: tensors)
    }

    /// A model from stored tensors (the names of ``namedTensors``), checked against the configuration.
    public init(configuration: LanguageModelConfiguration, vocabulary: Vocabulary,
                tensors: [String: Tensor]) throws(LanguageModelError) {
        try configuration.validate()
        guard vocabulary.count > 0 else { throw .invalidArchive(reason: "the vocabulary is empty") }
        self.configuration = configuration
        self.vocabulary = vocabulary
        let (v, e, h) = (vocabulary.count, configuration.embeddingSize, configuration.hiddenSize)
        func tensor(_ name: String, _ shape: [Int]) throws(LanguageModelError) -> Parameter {
            guard let value = tensors[name] else { throw .invalidArchive(reason: "the tensor \"\(name)\" is missing") }
            guard value.shape == shape else {
                throw .invalidArchive(reason: "the tensor \"\(name)\" has shape \(value.shape) instead of \(shape)")
            }
            return Parameter(value, name: name)
        }
        embedding = TimeEmbedding(weight: try tensor("embedding", [v, e]))
        var lstms: [TimeLSTM] = []
        for layer in 0..<configuration.layers {
            let input = layer == 0 ? e : h
            lstms.append(TimeLSTM(inputWeight: try tensor("lstm\(layer).Wx", [input, 4 * h]),
                                  hiddenWeight: try tensor("lstm\(layer).Wh", [h, 4 * h]),
                                  bias: try tensor("lstm\(layer).b", [4 * h]), stateful: true))
        }
        self.lstms = lstms
        let bias = try tensor("output.b", [v])
        output = configuration.tieWeights ? TimeAffine(tiedTo: embedding.weight, bias: bias)
            : TimeAffine(weight: try tensor("output.W", [h, v]), bias: bias)
        if configuration.dropout > 0 {
            dropouts = (0...configuration.layers).map {
                TimeDropout(rate: configuration.dropout, variational: configuration.variationalDropout,
                            seed: configuration.seed &+ 1000 &+ UInt64($0))
            }
        } else {
            dropouts = []
        }
    }

    /// Every distinct parameter (a tied weight once).
    public var parameters: [Parameter] {
        var list = [embedding.weight]
        for lstm in lstms { list += lstm.parameters }
        if !output.isTied { list.append(output.weight) }
        list.append(output.bias)
        return list
    }

    /// The parameters training updates (without a frozen, untied embedding).
    public var trainableParameters: [Parameter] {
        freezesEmbedding && !output.isTied ? Array(parameters.dropFirst()) : parameters
    }

    /// The parameter count.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// The tensors to store, by name (`embedding`, `lstm0.Wx`, `lstm0.Wh`, `lstm0.b`, ...,
    /// `output.W` unless tied, `output.b`), in a fixed order.
    public var namedTensors: [(name: String, tensor: Tensor)] { parameters.map { ($0.name, $0.value) } }

    /// Forgets the LSTM states: the next chunk starts new streams.
    public func resetState() { for lstm in lstms { lstm.resetState() } }

    /// The scores `[N, T, V]` for the next word after every position of `inputs`.
    public func scores(_ inputs: SequenceBatch, training: Bool) -> Tensor {
        var x = embedding.forward(inputs)
        let drop = training && !dropouts.isEmpty
        if drop { x = dropouts[0].forward(x, training: true) }
        for (layer, lstm) in lstms.enumerated() {
            x = lstm.forward(x, training: training)
            if drop { x = dropouts[layer + 1].forward(x, training: true) }
        }
        return output.forward(x, training: training)
    }

    /// The mean cross-entropy of predicting `targets` from `inputs` (both `[N, T]`), continuing
    /// the carried LSTM state. Caches what ``backward()`` needs.
    public func loss(inputs: SequenceBatch, targets: SequenceBatch, training: Bool) -> Float {
        lossLayer.forward(consuming: scores(inputs, training: training), labels: targets)
    }

    /// The mean cross-entropy of the last ``loss(inputs:targets:training:)`` in Double.
    public var lastLoss: Double { lossLayer.meanLoss }

    /// Back-propagates the last ``loss(inputs:targets:training:)`` (with `training: true`) and
    /// accumulates every parameter's gradient (truncated at the chunk start).
    public func backward() {
        var dx = output.backward(consuming: lossLayer.backward(1))
        let drop = !dropouts.isEmpty
        for (layer, lstm) in lstms.enumerated().reversed() {
            if drop { dx = dropouts[layer + 1].backward(dx) }
            dx = lstm.backward(dx)
        }
        if drop { dx = dropouts[0].backward(dx) }
        if !(freezesEmbedding && !output.isTied) { embedding.backward(dx) }
    }

    /// Copies the vectors of the words that `words` and this vocabulary share into the
    /// embedding (`vectors` is `[words.count, E]`). Returns how many rows were set.
    public func initializeEmbedding(words: [String], vectors: Tensor) throws(LanguageModelError) -> Int {
        guard vectors.rank == 2, vectors.shape[0] == words.count else {
            throw .incompatibleEmbeddings(reason: "the vectors do not have one row per word")
        }
        guard vectors.shape[1] == configuration.embeddingSize else {
            throw .incompatibleEmbeddings(reason: "they have \(vectors.shape[1]) dimensions but the embedding has \(configuration.embeddingSize) (set --embedding \(vectors.shape[1]))")
        }
        var value = embedding.weight.value
        var set = 0
        for (row, word) in words.enumerated() {
            guard let id = vocabulary.id(for: word) else { continue }
            value.setRow(Int(id), to: vectors.row(row))
            set += 1
        }
        embedding.weight.value = value
        return set
    }
}
