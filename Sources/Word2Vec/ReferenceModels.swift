import TensorCore
import NeuralNetwork

/// The negative-sampling loss of word2vec, built from layers (Saitoh, "Deep Learning from
/// Scratch 2", §4.2.7; Mikolov et al. 2013, "Distributed Representations of Words and Phrases").
///
/// For hidden vectors `h` `[N, D]`, positive targets `t` `[N]` and negatives `n` `[N, k]`:
///
///     L = Σ_i [ −log σ(W_out[t_i]·h_i) − Σ_j log σ(−W_out[n_ij]·h_i) ]
///
/// made of `k + 1` ``EmbeddingDot`` layers (sharing `W_out`) each followed by a
/// ``SigmoidWithLoss`` (label 1 for the positive, 0 for the negatives). Each SigmoidWithLoss
/// averages over the batch, so the loss is the batch mean of the per-example sum above.
public final class NegativeSamplingLoss {
    /// Draws the negatives from `count^0.75` (or the sampler's power).
    public let sampler: UnigramSampler
    /// k, negatives per positive.
    public let negativeSamples: Int
    /// `W_out`, `[V, D]`.
    public let weight: Parameter
    private let dotLayers: [EmbeddingDot]
    private let lossLayers: [SigmoidWithLoss]

    /// A loss over `weight` (`[V, D]`, shared with other layers) with `negativeSamples` negatives.
    public init(weight: Parameter, sampler: UnigramSampler, negativeSamples: Int = 5) {
        precondition(negativeSamples >= 1, "NegativeSamplingLoss needs at least one negative sample; got \(negativeSamples).")
        precondition(sampler.vocabularySize == weight.value.shape[0],
                     "The sampler covers \(sampler.vocabularySize) words but W_out has \(weight.value.shape[0]) rows.")
        self.sampler = sampler
        self.negativeSamples = negativeSamples
        self.weight = weight
        dotLayers = (0...negativeSamples).map { _ in EmbeddingDot(weight: weight) }
        lossLayers = (0...negativeSamples).map { _ in SigmoidWithLoss() }
    }

    /// [W_out].
    public var parameters: [Parameter] { [weight] }

    /// The loss of `h` `[N, D]` against `targets` `[N]`, with negatives drawn by the sampler
    /// (never equal to their row's target when the vocabulary allows).
    public func forward<G: RandomNumberGenerator>(_ h: Tensor, targets: [Int32], using generator: inout G) -> Float {
        forward(h, targets: targets, negatives: sampler.negatives(for: targets, count: negativeSamples, using: &generator))
    }

    /// The loss with given negatives, row-major `[N, k]`.
    public func forward(_ h: Tensor, targets: [Int32], negatives: [Int32]) -> Float {
        let n = targets.count
        precondition(negatives.count == n * negativeSamples,
                     "Expected \(n) × \(negativeSamples) negatives, got \(negatives.count).")
        var loss = lossLayers[0].forward(dotLayers[0].forward(h, ids: targets.map(Int.init)),
                                         labels: [Float](repeating: 1, count: n))
        let zeros = [Float](repeating: 0, count: n)
        for j in 0..<negativeSamples {
            let column = (0..<n).map { Int(negatives[$0 * negativeSamples + j]) }
            loss += lossLayers[j + 1].forward(dotLayers[j + 1].forward(h, ids: column), labels: zeros)
        }
        return loss
    }

    /// ∂L/∂h `[N, D]`; accumulates W_out's sparse row gradient.
    public func backward(_ lossGradient: Float = 1) -> Tensor {
        var dh: Tensor?
        for (lossLayer, dot) in zip(lossLayers, dotLayers) {
            let g = dot.backward(lossLayer.backward(lossGradient))
            if dh == nil { dh = g } else { dh!.add(g) }
        }
        return dh!
    }
}

/// Continuous bag of words with negative sampling, layer by layer (Saitoh, "Deep Learning from
/// Scratch 2", §4.3; Mikolov et al. 2013): the readable definition of the model that
/// ``Word2VecTrainer`` trains fast.
///
///     h = (1/C) Σ_c W_in[context_c]          (one Embedding per context position, sharing W_in)
///     L = NegativeSamplingLoss(h, center)
///
/// Shapes: contexts `[N, C]` row-major with `C = 2·windowSize`, centers `[N]`, h `[N, D]`.
public final class CBOW {
    /// `W_in`, `[V, D]`: the word vectors.
    public let inputWeight: Parameter
    /// `W_out`, `[V, D]`.
    public let outputWeight: Parameter
    /// C, context words per example.
    public let contextSize: Int
    private let inputLayers: [Embedding]
    /// The loss layer over `W_out`.
    public let loss: NegativeSamplingLoss

    /// A model over given matrices (e.g. the engine's starting matrices).
    public init(inputWeight: Parameter, outputWeight: Parameter, windowSize: Int, sampler: UnigramSampler,
                negativeSamples: Int = 5) {
        precondition(windowSize >= 1, "CBOW needs a window of at least 1; got \(windowSize).")
        self.inputWeight = inputWeight
        self.outputWeight = outputWeight
        contextSize = 2 * windowSize
        inputLayers = (0..<contextSize).map { _ in Embedding(weight: inputWeight) }
        loss = NegativeSamplingLoss(weight: outputWeight, sampler: sampler, negativeSamples: negativeSamples)
    }

    /// A model with word2vec's initialisation: W_in uniform in `±0.5/D`, W_out zero.
    public convenience init(vocabularySize: Int, dimension: Int, windowSize: Int, sampler: UnigramSampler,
                            negativeSamples: Int = 5, using generator: inout SplitMix64) {
        let input = Word2VecTrainer.initialInputRows(vocabularySize, dimension: dimension, using: &generator)
        self.init(inputWeight: Parameter(Tensor(shape: [vocabularySize, dimension], scalars: input), name: "W_in"),
                  outputWeight: Parameter(Tensor(shape: [vocabularySize, dimension]), name: "W_out"),
                  windowSize: windowSize, sampler: sampler, negativeSamples: negativeSamples)
    }

    /// [W_in, W_out].
    public var parameters: [Parameter] { [inputWeight, outputWeight] }

    /// The mean of the context rows, `[N, D]`.
    private func hidden(_ contexts: [Int32], count n: Int) -> Tensor {
        precondition(contexts.count == n * contextSize, "CBOW expects \(n) × \(contextSize) context ids, got \(contexts.count).")
        var h: Tensor?
        for c in 0..<contextSize {
            let column = (0..<n).map { Int(contexts[$0 * contextSize + c]) }
            let rows = inputLayers[c].forward(column)
            if h == nil { h = rows } else { h!.add(rows) }
        }
        h!.scale(by: 1 / Float(contextSize))
        return h!
    }

    /// The loss of predicting `centers` from `contexts` (`[N, C]`) with sampled negatives.
    public func forward(contexts: [Int32], centers: [Int32], using generator: inout SplitMix64) -> Float {
        loss.forward(hidden(contexts, count: centers.count), targets: centers, using: &generator)
    }

    /// The loss with given negatives (`[N, k]`).
    public func forward(contexts: [Int32], centers: [Int32], negatives: [Int32]) -> Float {
        loss.forward(hidden(contexts, count: centers.count), targets: centers, negatives: negatives)
    }

    /// Back-propagates into W_out and W_in (sparse rows).
    public func backward(_ lossGradient: Float = 1) {
        var dh = loss.backward(lossGradient)
        dh.scale(by: 1 / Float(contextSize))
        for layer in inputLayers { layer.backward(dh) }
    }
}

/// Skip-gram with negative sampling, layer by layer (Saitoh, "Deep Learning from Scratch 2",
/// §4.3 / 3.5; Mikolov et al. 2013): the center word's W_in row predicts every context word.
///
///     h = W_in[center]
///     L = Σ_c NegativeSamplingLoss_c(h, context_c)
///
/// Shapes: centers `[N]`, contexts `[N, C]` row-major, h `[N, D]`.
public final class SkipGram {
    /// `W_in`, `[V, D]`: the word vectors.
    public let inputWeight: Parameter
    /// `W_out`, `[V, D]`.
    public let outputWeight: Parameter
    /// C, context words per example.
    public let contextSize: Int
    private let inputLayer: Embedding
    /// One loss per context position, all over `W_out`.
    public let losses: [NegativeSamplingLoss]

    /// A model over given matrices predicting `contextSize` context words per center.
    public init(inputWeight: Parameter, outputWeight: Parameter, contextSize: Int, sampler: UnigramSampler,
                negativeSamples: Int = 5) {
        precondition(contextSize >= 1, "SkipGram needs at least one context word; got \(contextSize).")
        self.inputWeight = inputWeight
        self.outputWeight = outputWeight
        self.contextSize = contextSize
        inputLayer = Embedding(weight: inputWeight)
        losses = (0..<contextSize).map { _ in
            NegativeSamplingLoss(weight: outputWeight, sampler: sampler, negativeSamples: negativeSamples)
        }
    }

    /// A model with word2vec's initialisation (W_in uniform in `±0.5/D`, W_out zero) and
    /// `2·windowSize` context words.
    public convenience init(vocabularySize: Int, dimension: Int, windowSize: Int, sampler: UnigramSampler,
                            negativeSamples: Int = 5, using generator: inout SplitMix64) {
        let input = Word2VecTrainer.initialInputRows(vocabularySize, dimension: dimension, using: &generator)
        self.init(inputWeight: Parameter(Tensor(shape: [vocabularySize, dimension], scalars: input), name: "W_in"),
                  outputWeight: Parameter(Tensor(shape: [vocabularySize, dimension]), name: "W_out"),
                  contextSize: 2 * windowSize, sampler: sampler, negativeSamples: negativeSamples)
    }

    /// [W_in, W_out].
    public var parameters: [Parameter] { [inputWeight, outputWeight] }

    private func column(_ contexts: [Int32], _ c: Int, count n: Int) -> [Int32] {
        (0..<n).map { contexts[$0 * contextSize + c] }
    }

    /// The loss of predicting `contexts` (`[N, C]`) from `centers` with sampled negatives.
    public func forward(centers: [Int32], contexts: [Int32], using generator: inout SplitMix64) -> Float {
        let n = centers.count
        precondition(contexts.count == n * contextSize, "SkipGram expects \(n) × \(contextSize) context ids, got \(contexts.count).")
        let h = inputLayer.forward(centers.map(Int.init))
        return (0..<contextSize).reduce(0) { $0 + losses[$1].forward(h, targets: column(contexts, $1, count: n), using: &generator) }
    }

    /// The loss with given negatives, `[N, C, k]` row-major (negatives of context c of example i
    /// at `(i·C + c)·k ..< (i·C + c + 1)·k`).
    public func forward(centers: [Int32], contexts: [Int32], negatives: [Int32]) -> Float {
        let n = centers.count
        precondition(contexts.count == n * contextSize, "SkipGram expects \(n) × \(contextSize) context ids, got \(contexts.count).")
        let h = inputLayer.forward(centers.map(Int.init))
        var total: Float = 0
        for c in 0..<contextSize {
            let k = losses[c].negativeSamples
            var rows: [Int32] = []
            for i in 0..<n { rows.append(contentsOf: negatives[((i * contextSize + c) * k)..<((i * contextSize + c + 1) * k)]) }
            total += losses[c].forward(h, targets: column(contexts, c, count: n), negatives: rows)
        }
        return total
    }

    /// Back-propagates into W_out and W_in (sparse rows).
    public func backward(_ lossGradient: Float = 1) {
        var dh = losses[0].backward(lossGradient)
        for loss in losses.dropFirst() { dh.add(loss.backward(lossGradient)) }
        inputLayer.backward(dh)
    }
}

/// Training examples in the book's form (`create_contexts_target`): for every position with a
/// full window, the `2·windowSize` surrounding ids and the center id. Out-of-vocabulary ids
/// (negative) are dropped first.
public func contextsAndCenters(ids: [Int32], windowSize: Int) -> (contexts: [Int32], centers: [Int32]) {
    precondition(windowSize >= 1, "A context window must be at least 1 word wide; got \(windowSize).")
    let kept = ids.filter { $0 >= 0 }
    var contexts: [Int32] = []
    var centers: [Int32] = []
    guard kept.count > 2 * windowSize else { return ([], []) }
    for i in windowSize..<(kept.count - windowSize) {
        centers.append(kept[i])
        for offset in -windowSize...windowSize where offset != 0 { contexts.append(kept[i + offset]) }
    }
    return (contexts, centers)
}
