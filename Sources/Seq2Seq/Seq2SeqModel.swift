import NeuralNetwork
import TensorCore

/// Which encoder-decoder pair a model uses.
public enum Seq2SeqArchitecture: String, Codable, Sendable, CaseIterable {
    /// ``Encoder`` + ``Decoder`` (Saitoh 2, §7.3).
    case baseline
    /// ``Encoder`` + ``PeekyDecoder`` (§7.4.2).
    case peeky
    /// ``AttentionEncoder`` + ``AttentionDecoder`` (§8.2).
    case attention
}

/// The shape of a seq2seq model (stored as its configuration JSON).
public struct Seq2SeqConfiguration: Codable, Sendable, Equatable {
    public var architecture: Seq2SeqArchitecture
    /// Whether questions are fed to the encoder reversed (Sutskever et al. 2014; Saitoh 2, §7.4.1).
    public var reversesInput: Bool
    public var embeddingSize: Int
    public var hiddenSize: Int
    /// Tq, the fixed question width (questions are padded with spaces to it).
    public var questionWidth: Int
    /// Ta, the answer width (without the leading `_`).
    public var answerWidth: Int
    /// The seed of the initial weights.
    public var seed: UInt64

    public init(architecture: Seq2SeqArchitecture, reversesInput: Bool = false, embeddingSize: Int = 16,
                hiddenSize: Int? = nil, questionWidth: Int, answerWidth: Int, seed: UInt64 = 1) {
        self.architecture = architecture
        self.reversesInput = reversesInput
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize ?? Self.defaultHiddenSize(architecture)
        self.questionWidth = questionWidth
        self.answerWidth = answerWidth
        self.seed = seed
    }

    /// The book's widths: 128, and 256 for attention.
    public static func defaultHiddenSize(_ architecture: Seq2SeqArchitecture) -> Int { architecture == .attention ? 256 : 128 }

    public func validate() throws(Seq2SeqError) {
        for (name, value) in [("the embedding size", embeddingSize), ("the hidden size", hiddenSize),
                              ("the question width", questionWidth), ("the answer width", answerWidth)] where value < 1 {
            throw .invalidConfiguration(reason: "\(name) must be at least 1, not \(value)")
        }
        for (name, value) in [("the embedding size", embeddingSize), ("the hidden size", hiddenSize)] where value > 8192 {
            throw .invalidConfiguration(reason: "\(name) must be at most 8192, not \(value)")
        }
    }
}

/// An encoder-decoder over symbol sequences: teacher-forced loss, backward, greedy generation.
///
/// Training: `loss(questions, answers)` with answers `[N, 1 + Ta]` starting with `_`; the decoder
/// reads answers[:, :-1] and is scored against answers[:, 1:] by ``TimeSoftmaxWithLoss`` (mean
/// over all N·Ta steps; padding spaces are symbols to predict, as in the book).
public final class Seq2SeqModel {
    public let configuration: Seq2SeqConfiguration
    public let vocabulary: SymbolVocabulary
    public let encoder: any SequenceEncoder
    public let decoder: any SequenceDecoder
    private let lossLayer = TimeSoftmaxWithLoss()
    private let tensorNames: [String]

    /// A model with fresh weights drawn from `SplitMix64(seed: configuration.seed)`: embeddings
    /// N(0, 0.01²), LSTM and affine weights N(0, 1/fanIn), biases 0 (the book's initialisation).
    public convenience init(configuration: Seq2SeqConfiguration, vocabulary: SymbolVocabulary) throws(Seq2SeqError) {
        try configuration.validate()
        var generator = SplitMix64(seed: configuration.seed)
        let (v, d, h) = (vocabulary.count, configuration.embeddingSize, configuration.hiddenSize)
        var tensors: [String: Tensor] = [:]
        for (name, shape) in Self.tensorShapes(configuration, vocabularySize: v) {
            switch name {
            case _ where name.hasSuffix("embedding"):
                tensors[name] = Tensor.randomNormal(shape: shape, standardDeviation: 0.01, using: &generator)
            case _ where name.hasSuffix(".b"):
                tensors[name] = Tensor(shape: shape)
            default:
                tensors[name] = WeightInitialization.xavier.matrix(fanIn: shape[0], fanOut: shape[1], using: &generator)
            }
        }
        _ = (d, h)
        try self.init(configuration: configuration, vocabulary: vocabulary, tensors: tensors)
    }

    /// The tensor names and shapes of a configuration, in storage order.
    public static func tensorShapes(_ c: Seq2SeqConfiguration, vocabularySize v: Int) -> [(String, [Int])] {
        let (d, h) = (c.embeddingSize, c.hiddenSize)
        let decoderInput = c.architecture == .peeky ? h + d : d
        let affineInput = c.architecture == .baseline ? h : 2 * h
        return [
            ("encoder.embedding", [v, d]), ("encoder.lstm.Wx", [d, 4 * h]), ("encoder.lstm.Wh", [h, 4 * h]), ("encoder.lstm.b", [4 * h]),
            ("decoder.embedding", [v, d]), ("decoder.lstm.Wx", [decoderInput, 4 * h]), ("decoder.lstm.Wh", [h, 4 * h]),
            ("decoder.lstm.b", [4 * h]), ("decoder.affine.W", [affineInput, v]), ("decoder.affine.b", [v]),
        ]
    }

    /// A model from stored tensors (the names of ``namedTensors``), checked against the configuration.
    public init(configuration: Seq2SeqConfiguration, vocabulary: SymbolVocabulary, tensors: [String: Tensor]) throws(Seq2SeqError) {
        try configuration.validate()
        self.configuration = configuration
        self.vocabulary = vocabulary
        let shapes = Self.tensorShapes(configuration, vocabularySize: vocabulary.count)
        var parameters: [String: Parameter] = [:]
        for (name, shape) in shapes {
            guard let value = tensors[name] else { throw .invalidArchive(reason: "the tensor \"\(name)\" is missing") }
            guard value.shape == shape else {
                throw .invalidArchive(reason: "the tensor \"\(name)\" has shape \(value.shape) instead of \(shape)")
            }
            parameters[name] = Parameter(value, name: name)
        }
        tensorNames = shapes.map(\.0)
        func lstm(_ prefix: String) -> TimeLSTM {
            TimeLSTM(inputWeight: parameters[prefix + ".Wx"]!, hiddenWeight: parameters[prefix + ".Wh"]!, bias: parameters[prefix + ".b"]!)
        }
        let encoderEmbedding = TimeEmbedding(weight: parameters["encoder.embedding"]!)
        let decoderEmbedding = TimeEmbedding(weight: parameters["decoder.embedding"]!)
        let affine = TimeAffine(weight: parameters["decoder.affine.W"]!, bias: parameters["decoder.affine.b"]!)
        switch configuration.architecture {
        case .baseline:
            encoder = Encoder(embedding: encoderEmbedding, lstm: lstm("encoder.lstm"))
            decoder = Decoder(embedding: decoderEmbedding, lstm: lstm("decoder.lstm"), affine: affine)
        case .peeky:
            encoder = Encoder(embedding: encoderEmbedding, lstm: lstm("encoder.lstm"))
            decoder = PeekyDecoder(embedding: decoderEmbedding, lstm: lstm("decoder.lstm"), affine: affine)
        case .attention:
            encoder = AttentionEncoder(embedding: encoderEmbedding, lstm: lstm("encoder.lstm"))
            decoder = AttentionDecoder(embedding: decoderEmbedding, lstm: lstm("decoder.lstm"), affine: affine)
        }
    }

    /// Every parameter, in storage order.
    public var parameters: [Parameter] { encoder.parameters + decoder.parameters }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
    /// The tensors to store, by name, in a fixed order.
    public var namedTensors: [(name: String, tensor: Tensor)] { zip(tensorNames, parameters).map { ($0, $1.value) } }

    /// The questions as the encoder reads them (reversed along time when ``Seq2SeqConfiguration/reversesInput``).
    public func encoderInput(_ questions: SequenceBatch) -> SequenceBatch {
        guard configuration.reversesInput else { return questions }
        var ids = questions.ids
        let t = questions.timeSize
        for n in 0..<questions.batchSize { ids[(n * t)..<((n + 1) * t)].reverse() }
        return SequenceBatch(ids: ids, batchSize: questions.batchSize, timeSize: t)
    }

    /// Decoder inputs answers[:, :-1] and targets answers[:, 1:].
    public static func teacherForcing(_ answers: SequenceBatch) -> (inputs: SequenceBatch, targets: SequenceBatch) {
        let (n, t) = (answers.batchSize, answers.timeSize)
        var inputs: [Int] = [], targets: [Int] = []
        for b in 0..<n {
            inputs += answers.ids[(b * t)..<(b * t + t - 1)]
            targets += answers.ids[(b * t + 1)..<(b * t + t)]
        }
        return (SequenceBatch(ids: inputs, batchSize: n, timeSize: t - 1), SequenceBatch(ids: targets, batchSize: n, timeSize: t - 1))
    }

    /// The teacher-forced mean cross-entropy of `answers` (`[N, 1 + Ta]`, starting with `_`) given `questions`.
    public func loss(questions: SequenceBatch, answers: SequenceBatch) -> Float {
        let (inputs, targets) = Self.teacherForcing(answers)
        let encoding = encoder.forward(encoderInput(questions))
        return lossLayer.forward(decoder.forward(inputs, encoding: encoding), labels: targets)
    }

    /// Back-propagates the last ``loss(questions:answers:)`` into every parameter's gradient.
    public func backward() {
        encoder.backward(decoder.backward(lossLayer.backward(1)))
    }

    /// Greedy answers (``Seq2SeqConfiguration/answerWidth`` ids each), starting from `_`.
    public func generate(_ questions: SequenceBatch) -> [[Int]] {
        let encoding = encoder.forward(encoderInput(questions))
        return decoder.generate(encoding: encoding, start: [Int](repeating: vocabulary.separatorID, count: questions.batchSize),
                                length: configuration.answerWidth)
    }

    /// The attention weights `[N, Ta, Tq]` of the last generation or loss (attention models only),
    /// over the questions as given (un-reversed when the model reverses its input).
    public var attentionWeights: Tensor? {
        guard let decoder = decoder as? AttentionDecoder, var weights = decoder.attentionWeights else { return nil }
        if configuration.reversesInput {
            let tq = weights.shape[2]
            for row in 0..<(weights.count / tq) { weights.scalars[(row * tq)..<((row + 1) * tq)].reverse() }
        }
        return weights
    }

    /// The answer to one question (padding spaces at the end removed) and, for attention models,
    /// its attention weights `[Ta, Tq]`.
    public func predict(_ question: String) throws(Seq2SeqError) -> (answer: String, attention: Tensor?) {
        let ids = try vocabulary.encodeQuestion(question, width: configuration.questionWidth)
        let output = generate(SequenceBatch(sequence: ids))[0]
        var answer = vocabulary.decode(output)
        while answer.last == SymbolVocabulary.padding { answer.removeLast() }
        let weights = attentionWeights.map { $0.reshaped([$0.shape[1], $0.shape[2]]) }
        return (answer, weights)
    }

    /// How many of `examples` the model answers exactly (all Ta symbols, padding included), in
    /// batches of `batchSize`.
    public func correctCount(_ examples: EncodedExamples, batchSize: Int = 256) -> Int {
        var correct = 0
        let ta = examples.answers.timeSize
        var start = 0
        while start < examples.count {
            let indices = Array(start..<min(start + batchSize, examples.count))
            let generated = generate(examples.questions.selecting(indices))
            for (k, n) in indices.enumerated() where Array(examples.answers.ids[(n * ta + 1)..<((n + 1) * ta)]) == generated[k] {
                correct += 1
            }
            start += batchSize
        }
        return correct
    }
}
