import NeuralNetwork
import TensorCore

// The encoder-decoder models of Saitoh, "Deep Learning from Scratch 2", ch. 7-8 (Sutskever,
// Vinyals & Le 2014; Cho et al. 2014 for Peeky; Bahdanau et al. 2015 for attention), built from
// the shared time layers of NeuralNetwork. Question ids `[N, Tq]`, decoder input ids `[N, Ta]`,
// hidden width H, embedding width D, vocabulary V.

/// What an encoder hands to its decoder: the last hidden state h `[N, H]`, or every hidden state
/// hs `[N, Tq, H]` (attention).
public protocol SequenceEncoder: AnyObject {
    var parameters: [Parameter] { get }
    /// The encoding of `questions`.
    func forward(_ questions: SequenceBatch) -> Tensor
    /// Back-propagates ∂L/∂encoding (shaped like the last forward's result).
    func backward(_ encodingGradient: Tensor)
}

/// A decoder: scores for every step of a teacher-forced input, and greedy generation.
public protocol SequenceDecoder: AnyObject {
    var parameters: [Parameter] { get }
    /// Scores `[N, Ta, V]` for the decoder inputs (teacher forcing: the correct previous symbols).
    func forward(_ inputs: SequenceBatch, encoding: Tensor) -> Tensor
    /// ∂L/∂encoding from ∂L/∂scores.
    func backward(_ scoreGradient: Tensor) -> Tensor
    /// `length` symbols per sequence, each the argmax given the previous one, starting from `start`.
    func generate(encoding: Tensor, start: [Int], length: Int) -> [[Int]]
}

/// TimeEmbedding → TimeLSTM; the encoding is the last hidden state h `[N, H]` (Saitoh 2, §7.3.1).
public final class Encoder: SequenceEncoder {
    public let embedding: TimeEmbedding
    public let lstm: TimeLSTM
    private var questionTime = 0

    public init(embedding: TimeEmbedding, lstm: TimeLSTM) {
        self.embedding = embedding
        self.lstm = lstm
        lstm.isStateful = false
    }

    public var parameters: [Parameter] { embedding.parameters + lstm.parameters }

    public func forward(_ questions: SequenceBatch) -> Tensor {
        lstm.resetState()
        questionTime = questions.timeSize
        _ = lstm.forward(embedding.forward(questions), training: true)
        return lstm.finalState!.hidden
    }

    /// dh `[N, H]` flows into the last hidden state only.
    public func backward(_ encodingGradient: Tensor) {
        let (n, h) = (encodingGradient.shape[0], lstm.hiddenSize)
        let final = LSTMState(hidden: encodingGradient, cell: Tensor(shape: [n, h]))
        embedding.backward(lstm.backward(Tensor(shape: [n, questionTime, h]), finalStateGradient: final))
    }
}

/// TimeEmbedding → TimeLSTM; the encoding is every hidden state hs `[N, Tq, H]` (Saitoh 2, §8.2.1).
public final class AttentionEncoder: SequenceEncoder {
    public let embedding: TimeEmbedding
    public let lstm: TimeLSTM

    public init(embedding: TimeEmbedding, lstm: TimeLSTM) {
        self.embedding = embedding
        self.lstm = lstm
        lstm.isStateful = false
    }

    public var parameters: [Parameter] { embedding.parameters + lstm.parameters }

    public func forward(_ questions: SequenceBatch) -> Tensor {
        lstm.resetState()
        return lstm.forward(embedding.forward(questions), training: true)
    }

    public func backward(_ encodingGradient: Tensor) {
        embedding.backward(lstm.backward(encodingGradient))
    }
}

/// Runs one symbol per step through a decoder's LSTM, carrying the state (for generation).
private func greedySteps(lstm: TimeLSTM, start: [Int], length: Int, step: (SequenceBatch) -> Tensor) -> [[Int]] {
    let wasStateful = lstm.isStateful
    lstm.isStateful = true
    defer { lstm.isStateful = wasStateful }
    var previous = start
    var outputs = [[Int]](repeating: [], count: start.count)
    for _ in 0..<length {
        let scores = step(SequenceBatch(ids: previous, batchSize: start.count, timeSize: 1))
        previous = scores.reshaped([start.count, scores.shape[2]]).argmaxRows()
        for n in 0..<start.count { outputs[n].append(previous[n]) }
    }
    return outputs
}

/// TimeEmbedding → TimeLSTM (started from the encoder's h, c = 0) → TimeAffine (Saitoh 2, §7.3.2).
public final class Decoder: SequenceDecoder {
    public let embedding: TimeEmbedding
    public let lstm: TimeLSTM
    public let affine: TimeAffine

    public init(embedding: TimeEmbedding, lstm: TimeLSTM, affine: TimeAffine) {
        self.embedding = embedding
        self.lstm = lstm
        self.affine = affine
    }

    public var parameters: [Parameter] { embedding.parameters + lstm.parameters + affine.parameters }

    private func start(_ h: Tensor) {
        lstm.isStateful = false
        lstm.setState(LSTMState(hidden: h, cell: Tensor(shape: h.shape)))
    }

    public func forward(_ inputs: SequenceBatch, encoding h: Tensor) -> Tensor {
        start(h)
        return affine.forward(lstm.forward(embedding.forward(inputs), training: true), training: true)
    }

    public func backward(_ scoreGradient: Tensor) -> Tensor {
        embedding.backward(lstm.backward(affine.backward(scoreGradient)))
        return lstm.initialStateGradient!.hidden
    }

    public func generate(encoding h: Tensor, start ids: [Int], length: Int) -> [[Int]] {
        start(h)
        return greedySteps(lstm: lstm, start: ids, length: length) { batch in
            affine.forward(lstm.forward(embedding.forward(batch), training: false), training: false)
        }
    }
}

/// A decoder that "peeks" at the encoding at every step (Saitoh 2, §7.4.2; Cho et al. 2014):
/// the LSTM reads [h, embed(x_t)] `[N, Ta, H + D]` and the affine layer reads [h, hs_t]
/// `[N, Ta, 2H]`; dh sums the gradients of both copies over time and the initial-state gradient.
public final class PeekyDecoder: SequenceDecoder {
    public let embedding: TimeEmbedding
    public let lstm: TimeLSTM
    public let affine: TimeAffine
    private var encodingWidth = 0

    /// `lstm` must read H + D inputs and `affine` 2H.
    public init(embedding: TimeEmbedding, lstm: TimeLSTM, affine: TimeAffine) {
        precondition(lstm.inputSize == lstm.hiddenSize + embedding.dimension && affine.inputSize == 2 * lstm.hiddenSize,
                     "A PeekyDecoder's LSTM reads H + D (\(lstm.hiddenSize + embedding.dimension)) and its affine layer 2H (\(2 * lstm.hiddenSize)); got \(lstm.inputSize) and \(affine.inputSize).")
        self.embedding = embedding
        self.lstm = lstm
        self.affine = affine
    }

    public var parameters: [Parameter] { embedding.parameters + lstm.parameters + affine.parameters }

    private func start(_ h: Tensor) {
        lstm.isStateful = false
        encodingWidth = h.shape[1]
        lstm.setState(LSTMState(hidden: h, cell: Tensor(shape: h.shape)))
    }

    private func scores(_ inputs: SequenceBatch, _ h: Tensor, training: Bool) -> Tensor {
        let peek = SequenceTensors.repeated(h, time: inputs.timeSize)
        let hs = lstm.forward(SequenceTensors.concatenate(peek, embedding.forward(inputs)), training: training)
        return affine.forward(SequenceTensors.concatenate(peek, hs), training: training)
    }

    public func forward(_ inputs: SequenceBatch, encoding h: Tensor) -> Tensor {
        start(h)
        return scores(inputs, h, training: true)
    }

    public func backward(_ scoreGradient: Tensor) -> Tensor {
        let (dPeekOut, dhs) = SequenceTensors.split(affine.backward(scoreGradient), firstWidth: encodingWidth)
        let (dPeekIn, dEmbedded) = SequenceTensors.split(lstm.backward(dhs), firstWidth: encodingWidth)
        embedding.backward(dEmbedded)
        return SequenceTensors.sumOverTime(dPeekOut) + SequenceTensors.sumOverTime(dPeekIn) + lstm.initialStateGradient!.hidden
    }

    public func generate(encoding h: Tensor, start ids: [Int], length: Int) -> [[Int]] {
        start(h)
        return greedySteps(lstm: lstm, start: ids, length: length) { batch in scores(batch, h, training: false) }
    }
}

/// TimeEmbedding → TimeLSTM (started from the last encoder state) → TimeAttention over the encoder
/// states → TimeAffine reading [c_t, h_t] `[N, Ta, 2H]` (Saitoh 2, §8.2.2).
public final class AttentionDecoder: SequenceDecoder {
    public let embedding: TimeEmbedding
    public let lstm: TimeLSTM
    public let attention = TimeAttention()
    public let affine: TimeAffine
    private var encoderTime = 0
    /// The attention weights of the last forward pass or generation, `[N, Ta, Tq]`.
    public private(set) var attentionWeights: Tensor?

    /// `affine` must read 2H.
    public init(embedding: TimeEmbedding, lstm: TimeLSTM, affine: TimeAffine) {
        precondition(affine.inputSize == 2 * lstm.hiddenSize,
                     "An AttentionDecoder's affine layer reads 2H (\(2 * lstm.hiddenSize)); got \(affine.inputSize).")
        self.embedding = embedding
        self.lstm = lstm
        self.affine = affine
    }

    public var parameters: [Parameter] { embedding.parameters + lstm.parameters + affine.parameters }

    private func start(_ encoderStates: Tensor) {
        lstm.isStateful = false
        encoderTime = encoderStates.shape[1]
        let h = SequenceTensors.step(encoderStates, encoderTime - 1)
        lstm.setState(LSTMState(hidden: h, cell: Tensor(shape: h.shape)))
    }

    private func scores(_ inputs: SequenceBatch, _ encoderStates: Tensor, training: Bool) -> Tensor {
        let hs = lstm.forward(embedding.forward(inputs), training: training)
        let contexts = attention.forward(encoderStates: encoderStates, decoderStates: hs)
        return affine.forward(SequenceTensors.concatenate(contexts, hs), training: training)
    }

    public func forward(_ inputs: SequenceBatch, encoding encoderStates: Tensor) -> Tensor {
        start(encoderStates)
        let out = scores(inputs, encoderStates, training: true)
        attentionWeights = attention.weights
        return out
    }

    public func backward(_ scoreGradient: Tensor) -> Tensor {
        let width = lstm.hiddenSize
        let (dContexts, dhsOut) = SequenceTensors.split(affine.backward(scoreGradient), firstWidth: width)
        let (dEncoder, dhsAttention) = attention.backward(dContexts)
        embedding.backward(lstm.backward(dhsOut + dhsAttention))
        // The LSTM started from the last encoder state: its gradient joins that step's.
        var dEncoderScalars = dEncoder.scalars
        let dh = lstm.initialStateGradient!.hidden
        for b in 0..<dh.shape[0] {
            let to = (b * encoderTime + encoderTime - 1) * width
            for j in 0..<width { dEncoderScalars[to + j] += dh.scalars[b * width + j] }
        }
        return Tensor(shape: dEncoder.shape, scalars: dEncoderScalars)
    }

    public func generate(encoding encoderStates: Tensor, start ids: [Int], length: Int) -> [[Int]] {
        start(encoderStates)
        let (n, te) = (ids.count, encoderStates.shape[1])
        var weights = [Float](repeating: 0, count: n * length * te)
        var t = 0
        let outputs = greedySteps(lstm: lstm, start: ids, length: length) { batch in
            let out = scores(batch, encoderStates, training: false)
            let a = attention.weights!
            for b in 0..<n {
                for s in 0..<te { weights[(b * length + t) * te + s] = a.scalars[b * te + s] }
            }
            t += 1
            return out
        }
        attentionWeights = Tensor(shape: [n, length, te], scalars: weights)
        return outputs
    }
}
