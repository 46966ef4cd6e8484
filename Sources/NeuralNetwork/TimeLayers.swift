import TensorCore

// Time layers (Saitoh, "Deep Learning from Scratch 2", ch. 5-7): layers over whole sequences of
// a mini-batch at once. Sequences are batch-major: a batch of N sequences of T steps of width D
// is a `[N, T, D]` tensor, element (n, t, j) at (n*T + t)*D + j, so the N·T rows can go through
// one big sgemm. Token ids and labels of such a batch are a ``SequenceBatch``.

/// The token ids (or class labels) of N sequences of T steps, row-major `[N, T]`:
/// `ids[n * timeSize + t]` is step t of sequence n.
public struct SequenceBatch: Sendable, Equatable, BatchLabels {
    /// The ids, `batchSize * timeSize` of them, sequence by sequence.
    public var ids: [Int]
    /// N, the number of sequences.
    public let batchSize: Int
    /// T, the number of steps of each sequence.
    public let timeSize: Int

    /// A batch of `batchSize` sequences of `timeSize` steps; `ids.count` must be their product.
    public init(ids: [Int], batchSize: Int, timeSize: Int) {
        precondition(batchSize >= 0 && timeSize >= 0 && ids.count == batchSize * timeSize,
                     "A batch of \(batchSize) sequences of \(timeSize) steps needs \(batchSize * timeSize) ids, but \(ids.count) were given.")
        self.ids = ids
        self.batchSize = batchSize
        self.timeSize = timeSize
    }

    /// One sequence of ids (N = 1).
    public init(sequence: [Int]) { self.init(ids: sequence, batchSize: 1, timeSize: sequence.count) }

    /// Step `step` of sequence `sequence`.
    public subscript(sequence: Int, step: Int) -> Int { ids[sequence * timeSize + step] }

    /// The number of sequences (N).
    public var exampleCount: Int { batchSize }

    /// The sequences `indices`, in that order.
    public func selecting(_ indices: [Int]) -> SequenceBatch {
        var selected: [Int] = []
        selected.reserveCapacity(indices.count * timeSize)
        for n in indices { selected.append(contentsOf: ids[(n * timeSize)..<((n + 1) * timeSize)]) }
        return SequenceBatch(ids: selected, batchSize: indices.count, timeSize: timeSize)
    }
}

extension Validate {
    /// `tensor` must be a sequence batch `[N, T, width]` (nil = any width; N and T as given when set).
    static func sequence(_ tensor: Tensor, batch: Int? = nil, time: Int? = nil, width: Int? = nil,
                         _ operation: @autoclosure () -> String) throws(NeuralNetworkError) {
        let ok = tensor.rank == 3 && (batch == nil || tensor.shape[0] == batch!)
            && (time == nil || tensor.shape[1] == time!) && (width == nil || tensor.shape[2] == width!)
        if !ok {
            let expected = "[\(batch.map(String.init) ?? "N"), \(time.map(String.init) ?? "T"), \(width.map(String.init) ?? "D")]"
            throw .shapeMismatch(operation: operation(), expected: expected, actual: tensor.shape)
        }
    }
}

/// Embedding lookup for every step of a batch of sequences (Saitoh 2, §5.4.1).
///
/// - forward: ids ``SequenceBatch`` `[N, T]` → `out[n, t, :] = W[ids[n, t], :]`, `[N, T, D]`.
/// - backward: dout `[N, T, D]` → `dW[ids[n, t], :] += dout[n, t, :]`, kept sparse (only the
///   touched rows; the same gradient as T separate Embedding layers summed).
///
/// The weight is a shared ``Parameter``: an output ``TimeAffine`` built with
/// ``TimeAffine/init(tiedTo:bias:)`` reads the same matrix (weight tying, Press & Wolf 2017;
/// Inan et al. 2017), and the optimizer sums both gradients into one update.
public final class TimeEmbedding {
    /// The row lookup (shares ``weight``).
    private let embedding: Embedding
    private var cachedShape: (batch: Int, time: Int)?

    /// W, `[vocabularySize, dimension]`.
    public var weight: Parameter { embedding.weight }
    /// [weight].
    public var parameters: [Parameter] { [weight] }
    /// V.
    public var vocabularySize: Int { embedding.vocabularySize }
    /// D.
    public var dimension: Int { embedding.dimension }

    /// An embedding reading rows of `weight` (a `[V, D]` matrix), possibly shared.
    public init(weight: Parameter) { embedding = Embedding(weight: weight) }

    /// A fresh `[vocabularySize, dimension]` weight drawn from N(0, standardDeviation²)
    /// (the book's Rnnlm uses 0.01).
    public convenience init<G: RandomNumberGenerator>(vocabularySize: Int, dimension: Int, standardDeviation: Float = 0.01,
                                                      name: String = "embedding", using generator: inout G) {
        let w = Tensor.randomNormal(shape: [vocabularySize, dimension], standardDeviation: standardDeviation, using: &generator)
        self.init(weight: Parameter(w, name: name))
    }

    /// `[N, T, D]`: the rows of W for every id of `ids`.
    public func forward(_ ids: SequenceBatch) -> Tensor {
        cachedShape = (ids.batchSize, ids.timeSize)
        return embedding.forward(ids.ids).reshaped([ids.batchSize, ids.timeSize, dimension])
    }

    /// Accumulates `outputGradient` (`[N, T, D]`) into W's sparse gradient rows.
    public func backward(_ outputGradient: Tensor) {
        let (n, t) = requireCached(cachedShape, "TimeEmbedding")
        require { () throws(NeuralNetworkError) in
            try Validate.sequence(outputGradient, batch: n, time: t, width: dimension, "TimeEmbedding.backward")
        }
        embedding.backward(outputGradient.reshaped([n * t, dimension]))
    }
}

/// A fully connected layer applied at every step with one sgemm over all N·T rows (Saitoh 2, §5.4.1).
///
/// - forward: x `[N, T, I]` → `y = x W + b`, `[N, T, O]`, for W `[I, O]`, b `[O]`.
/// - backward: dy `[N, T, O]` → `dx = dy Wᵀ` (returned), `dW += xᵀ dy`, `db += Σ dy` over N·T rows.
///
/// **Tied weights** (``init(tiedTo:bias:)``): the weight is an embedding matrix E `[O, I]` shared
/// with a ``TimeEmbedding`` and used transposed, `y = x Eᵀ + b`, `dE += dyᵀ x`, `dx = dy E`
/// (Press & Wolf 2017, "Using the Output Embedding to Improve Language Models").
/// Inputs of rank 2 (`[R, I]`) are accepted as well and give `[R, O]`.
public final class TimeAffine: Layer {
    /// W `[I, O]`, or E `[O, I]` when ``isTied``.
    public let weight: Parameter
    /// b, `[O]`.
    public let bias: Parameter
    /// Whether ``weight`` is an `[O, I]` embedding matrix used transposed.
    public let isTied: Bool
    private var cachedInput: Tensor?
    /// The storage of the last output gradient handed to ``backward(consuming:)``, reused for the
    /// next forward's output when the sizes match: a language model's `[N·T, V]` scores are tens
    /// of megabytes, and a fresh zeroed array per step costs a memset and page faults.
    private var spareOutput: [Float] = []

    /// A layer with weight W `[I, O]` and bias b `[O]`.
    public init(weight: Parameter, bias: Parameter) {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(weight.value, "TimeAffine's weight")
            try Validate.shape(bias.value, [weight.value.shape[1]], "TimeAffine's bias")
        }
        self.weight = weight
        self.bias = bias
        self.isTied = false
    }

    /// A layer whose weight is the embedding matrix `embeddingWeight` (`[O, I]`, e.g. a
    /// ``TimeEmbedding``'s weight) used transposed, and bias b `[O]`.
    public init(tiedTo embeddingWeight: Parameter, bias: Parameter) {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(embeddingWeight.value, "TimeAffine's tied weight")
            try Validate.shape(bias.value, [embeddingWeight.value.shape[0]], "TimeAffine's bias")
        }
        self.weight = embeddingWeight
        self.bias = bias
        self.isTied = true
    }

    /// A layer with a fresh `[inputSize, outputSize]` weight (Xavier, the book's `randn / √I`) and a zero bias.
    public convenience init<G: RandomNumberGenerator>(inputSize: Int, outputSize: Int,
                                                      initialization: WeightInitialization = .xavier,
                                                      name: String = "affine", using generator: inout G) {
        self.init(weight: Parameter(initialization.matrix(fanIn: inputSize, fanOut: outputSize, using: &generator),
                                    name: name + ".weight"),
                  bias: Parameter(Tensor(shape: [outputSize]), name: name + ".bias"))
    }

    /// [weight, bias] (a tied weight is the embedding's parameter, listed once by optimizers).
    public var parameters: [Parameter] { [weight, bias] }
    /// I.
    public var inputSize: Int { weight.value.shape[isTied ? 1 : 0] }
    /// O.
    public var outputSize: Int { weight.value.shape[isTied ? 0 : 1] }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let (rows, leading) = Self.rows(of: input, width: inputSize, "TimeAffine.forward")
        cachedInput = input
        // Every element is written by fillRows (the bias), so the storage needs no zeroing.
        var out: [Float] = []
        swap(&out, &spareOutput)
        if out.count != rows * outputSize { out = RecurrentKernels.uninitialized(count: rows * outputSize) }
        RecurrentKernels.fillRows(&out, with: bias.value.scalars, rows: rows, width: outputSize)
        RecurrentKernels.multiply(input.scalars, weight.value.scalars, into: &out, m: rows, n: outputSize,
                                  k: inputSize, transposeB: isTied, beta: 1)
        return Tensor(shape: leading + [outputSize], scalars: out)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        backward(consuming: outputGradient)
    }

    /// ``backward(_:)`` taking ownership of the output gradient, whose storage then serves the
    /// next forward's output (a language model's step allocates no score matrix after the first).
    public func backward(consuming outputGradient: consuming Tensor) -> Tensor {
        let dx = gradients(outputGradient)
        swap(&spareOutput, &outputGradient.scalars)
        return dx
    }

    /// dW, db accumulated; dx returned.
    private func gradients(_ outputGradient: borrowing Tensor) -> Tensor {
        let x = requireCached(cachedInput, "TimeAffine")
        require { () throws(NeuralNetworkError) in
            try Validate.shape(outputGradient, Array(x.shape.dropLast()) + [outputSize], "TimeAffine.backward")
        }
        let rows = x.count / max(inputSize, 1), (i, o) = (inputSize, outputSize)
        if isTied {
            // dE [O, I] += dyᵀ [O, R] · x [R, I]
            RecurrentKernels.multiply(outputGradient.scalars, x.scalars, into: &weight.gradient.scalars,
                                      m: o, n: i, k: rows, transposeA: true, beta: 1)
        } else {
            // dW [I, O] += xᵀ [I, R] · dy [R, O]
            RecurrentKernels.multiply(x.scalars, outputGradient.scalars, into: &weight.gradient.scalars,
                                      m: i, n: o, k: rows, transposeA: true, beta: 1)
        }
        RecurrentKernels.addColumnSums(of: outputGradient.scalars, rows: rows, width: o, into: &bias.gradient.scalars)
        var dx = RecurrentKernels.uninitialized(count: rows * i)  // beta 0: every element written
        RecurrentKernels.multiply(outputGradient.scalars, weight.value.scalars, into: &dx, m: rows, n: i, k: o,
                                  transposeB: !isTied)
        return Tensor(shape: x.shape, scalars: dx)
    }

    /// The number of rows (all axes but the last) and the leading shape of a rank-2 or rank-3 input.
    static func rows(of input: Tensor, width: Int, _ operation: @autoclosure () -> String) -> (Int, [Int]) {
        require { () throws(NeuralNetworkError) in
            if input.rank == 2 {
                try Validate.matrix(input, columns: width, operation())
            } else {
                try Validate.sequence(input, width: width, operation())
            }
        }
        let leading = Array(input.shape.dropLast())
        return (leading.reduce(1, *), leading)
    }
}

/// Softmax with cross-entropy at every step, averaged over all counted steps (Saitoh 2, §5.4.1).
///
/// - forward: scores x `[N, T, V]` (or `[R, V]`), labels t ``SequenceBatch`` `[N, T]` (or R labels
///   with N = R, T = 1) → `L = (1/K) Σ_{n,t} −log softmax(x_{n,t})[t_{n,t}]`, K the number of
///   counted steps: all N·T, or those whose label is not ``ignoredLabel`` (padding in seq2seq).
/// - backward: `dx = dL · (softmax(x) − onehot(t)) / K`, zero on ignored steps.
///
/// The forward pass computes the softmax in place in the score buffer and, on the counted rows,
/// goes straight on to the gradient of a unit loss, `(softmax(x) − onehot(t)) / K`, while the row
/// is in cache: backward then has nothing left to do for `dL = 1` (training) but zero the ignored
/// rows, and the `[N·T, V]` matrix is read and written once per step. ``backward(_:)`` consumes
/// the cache (call forward again before another backward).
public final class TimeSoftmaxWithLoss: LossLayer {
    /// A label that marks a step to leave out of the loss (e.g. the padding id), or nil.
    public let ignoredLabel: Int?
    /// `(softmax − onehot)/K` on counted rows and softmax on ignored ones, with what backward needs.
    private var cache: (values: [Float], labels: [Int], shape: [Int], counted: Int)?

    /// - Parameter ignoredLabel: steps with this label are not counted (nil: every step counts).
    public init(ignoredLabel: Int? = nil) { self.ignoredLabel = ignoredLabel }

    /// softmax(x) of the last forward pass, shaped like x (nil after backward).
    public var probabilities: Tensor? {
        guard let cache else { return nil }
        var p = cache.values
        let classes = cache.shape.last ?? 0
        for (row, label) in cache.labels.enumerated() where label != ignoredLabel {
            for j in 0..<classes { p[row * classes + j] *= Float(cache.counted) }
            p[row * classes + label] += 1
        }
        return Tensor(shape: cache.shape, scalars: p)
    }

    /// The number of steps counted in the last loss.
    public private(set) var countedSteps = 0
    /// The mean cross-entropy of the last forward pass in Double (the Float result rounded it).
    public private(set) var meanLoss: Double = 0

    /// The mean cross-entropy over the counted steps (0 when none counts).
    public func forward(_ scores: Tensor, labels: SequenceBatch) -> Float {
        forward(consuming: scores, labels: labels)
    }

    /// ``forward(_:labels:)`` taking ownership of `scores`, so that a temporary score matrix
    /// becomes the softmax buffer in place instead of being copied.
    public func forward(consuming scores: consuming Tensor, labels: SequenceBatch) -> Float {
        let shape = scores.shape
        let classes = shape.last ?? 0
        let (rows, _) = TimeAffine.rows(of: scores, width: classes, "TimeSoftmaxWithLoss.forward")
        require { () throws(NeuralNetworkError) in
            try Validate.labelCount(labels.ids.count, expected: rows, "TimeSoftmaxWithLoss.forward")
            for label in labels.ids where label != ignoredLabel && (label < 0 || label >= classes) {
                throw .labelOutOfRange(label: label, classCount: classes)
            }
        }
        var y: [Float] = []
        swap(&y, &scores.scalars)
        let counted = ignoredLabel.map { ignored in labels.ids.reduce(0) { $0 + ($1 == ignored ? 0 : 1) } } ?? rows
        let total = RecurrentKernels.softmaxCrossEntropy(&y, labels: labels.ids, ignored: ignoredLabel, rows: rows,
                                                         columns: classes, gradientScale: counted == 0 ? 0 : 1 / Float(counted))
        cache = (y, labels.ids, shape, counted)
        countedSteps = counted
        meanLoss = counted == 0 ? 0 : total / Double(counted)
        return Float(meanLoss)
    }

    /// `lossGradient · (softmax(x) − onehot(t)) / K`, shaped like the last scores; consumes the cache.
    public func backward(_ lossGradient: Float) -> Tensor {
        guard cache != nil else {
            preconditionFailure(NeuralNetworkError.backwardBeforeForward(layer: "TimeSoftmaxWithLoss").description)
        }
        let (labels, shape) = (cache!.labels, cache!.shape)
        var y: [Float] = []
        swap(&y, &cache!.values)  // y is uniquely referenced and becomes the gradient in place
        cache = nil
        RecurrentKernels.finishSoftmaxGradient(&y, labels: labels, ignored: ignoredLabel, columns: shape.last ?? 0,
                                               lossGradient: lossGradient)
        return Tensor(shape: shape, scalars: y)
    }
}

/// Inverted dropout over a batch of sequences (Srivastava et al. 2014; Saitoh 2, §6.5.2, between
/// LSTM layers in the depth direction as Zaremba, Sutskever & Vinyals 2014).
///
/// - training: `y = x ⊙ m / (1 − rate)`, m ~ Bernoulli(1 − rate), drawn per element; or, when
///   ``isVariational``, one mask per sequence and feature `[N, D]` shared by all T steps (Gal &
///   Ghahramani 2016, "A Theoretically Grounded Application of Dropout in RNNs").
///   backward: `dx = dy ⊙ m / (1 − rate)`.
/// - inference: the identity.
///
/// Masks come from a seeded ``SplitMix64``; ``reseed(_:)`` restarts the sequence.
public final class TimeDropout: Layer {
    /// The probability of dropping an element, in [0, 1).
    public let rate: Float
    /// Whether one mask per sequence is shared over time.
    public let isVariational: Bool
    private var generator: SplitMix64
    private var cache: (mask: [Float]?, shape: [Int])?

    /// - Precondition: `rate` is in [0, 1).
    public init(rate: Float, variational: Bool = false, seed: UInt64 = 0) {
        require { () throws(NeuralNetworkError) in try Validate.unitInterval("dropout rate", rate) }
        self.rate = rate
        self.isVariational = variational
        self.generator = SplitMix64(seed: seed)
    }

    /// Restarts the mask sequence from `seed`.
    public func reseed(_ seed: UInt64) { generator = SplitMix64(seed: seed) }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        require { () throws(NeuralNetworkError) in try Validate.sequence(input, "TimeDropout.forward") }
        guard training, rate > 0 else {
            cache = (nil, input.shape)
            return input
        }
        let (n, t, d) = (input.shape[0], input.shape[1], input.shape[2])
        let keep = 1 - rate, scale = 1 / keep
        var mask = [Float](repeating: 0, count: isVariational ? n * d : n * t * d)
        for i in 0..<mask.count where generator.nextUnitFloat() < keep { mask[i] = scale }
        cache = (mask, input.shape)
        return Tensor(shape: input.shape, scalars: RecurrentKernels.applyMask(
            input.scalars, mask: mask, batch: n, time: t, width: d, sharedOverTime: isVariational))
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (mask, shape) = requireCached(cache, "TimeDropout")
        require { () throws(NeuralNetworkError) in try Validate.shape(outputGradient, shape, "TimeDropout.backward") }
        guard let mask else { return outputGradient }
        return Tensor(shape: shape, scalars: RecurrentKernels.applyMask(
            outputGradient.scalars, mask: mask, batch: shape[0], time: shape[1], width: shape[2],
            sharedOverTime: isVariational))
    }
}
