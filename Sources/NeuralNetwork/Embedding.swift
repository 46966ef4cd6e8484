import TensorCore

/// Row lookup in a `[V, D]` weight matrix: the input layer of word2vec (Mikolov et al. 2013,
/// "Efficient Estimation of Word Representations in Vector Space"; Saitoh, "Deep Learning from
/// Scratch 2", §4.1).
///
/// - forward: ids `[N]` → `out[i, :] = W[ids[i], :]`, shape `[N, D]`
///   (the product of a one-hot matrix with W, without the matrix).
/// - backward: `dout [N, D]` → `dW[ids[i], :] += dout[i, :]`, kept **sparse**: only the touched
///   rows are stored (repeated ids accumulate), so a step costs O(N·D), never O(V·D).
///
/// Several `Embedding`s may share one ``Parameter`` (CBOW reads every context position from the
/// same `W_in`); each keeps its own ids for backward and all accumulate into the shared gradient.
/// Ids outside `0..<V` stop with a message naming the id and V.
public final class Embedding {
    /// W, `[vocabularySize, dimension]`.
    public let weight: Parameter
    private var cachedIDs: [Int]?

    /// An embedding reading rows of `weight` (a `[V, D]` matrix), possibly shared with other layers.
    public init(weight: Parameter) {
        require { () throws(NeuralNetworkError) in try Validate.matrix(weight.value, "Embedding's weight") }
        self.weight = weight
    }

    /// An embedding with a fresh `[vocabularySize, dimension]` weight drawn from
    /// N(0, standardDeviation²) (the book uses 0.01).
    public convenience init<G: RandomNumberGenerator>(vocabularySize: Int, dimension: Int, standardDeviation: Float = 0.01,
                                                      name: String = "embedding", using generator: inout G) {
        let w = Tensor.randomNormal(shape: [vocabularySize, dimension], standardDeviation: standardDeviation, using: &generator)
        self.init(weight: Parameter(w, name: name))
    }

    /// [weight].
    public var parameters: [Parameter] { [weight] }
    /// V.
    public var vocabularySize: Int { weight.value.shape[0] }
    /// D.
    public var dimension: Int { weight.value.shape[1] }

    /// `[ids.count, D]`: the rows `ids` of W.
    public func forward(_ ids: [Int]) -> Tensor {
        require { () throws(NeuralNetworkError) in try Validate.ids(ids, rowCount: vocabularySize, "Embedding.forward") }
        cachedIDs = ids
        return weight.value.gatherRows(ids)
    }

    /// Scatter-adds `outputGradient` (`[N, D]`, N = number of ids of the last forward) into the
    /// touched rows of W's sparse gradient. There is no input gradient (ids are discrete).
    public func backward(_ outputGradient: Tensor) {
        let ids = requireCached(cachedIDs, "Embedding")
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(outputGradient, rows: ids.count, columns: dimension, "Embedding.backward")
        }
        weight.accumulateRowGradients(ids: ids, rows: outputGradient)
    }
}

/// Row-wise dot products with gathered rows of `W`: the output side of word2vec with negative
/// sampling (Mikolov et al. 2013, "Distributed Representations of Words and Phrases and their
/// Compositionality"; Saitoh, "Deep Learning from Scratch 2", §4.2.4).
///
/// - forward: h `[N, D]`, ids `[N]` → `out[i] = W[ids[i], :] · h[i, :]`, shape `[N]`.
/// - backward: dout `[N]` (any shape with N elements) →
///   `dh[i, :] = dout[i] · W[ids[i], :]` (returned, `[N, D]`) and
///   `dW[ids[i], :] += dout[i] · h[i, :]` (sparse rows, repeated ids accumulate).
public final class EmbeddingDot {
    /// W, `[V, D]` (word2vec's `W_out`).
    public let weight: Parameter
    private var cache: (h: Tensor, ids: [Int], rows: Tensor)?

    /// A layer reading rows of `weight` (a `[V, D]` matrix), possibly shared with other layers.
    public init(weight: Parameter) {
        require { () throws(NeuralNetworkError) in try Validate.matrix(weight.value, "EmbeddingDot's weight") }
        self.weight = weight
    }

    /// [weight].
    public var parameters: [Parameter] { [weight] }
    /// V.
    public var vocabularySize: Int { weight.value.shape[0] }
    /// D.
    public var dimension: Int { weight.value.shape[1] }

    /// `[N]` scores `W[ids[i]] · h[i]` for h `[N, D]` and N ids.
    public func forward(_ h: Tensor, ids: [Int]) -> Tensor {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(h, rows: ids.count, columns: dimension, "EmbeddingDot.forward")
            try Validate.ids(ids, rowCount: vocabularySize, "EmbeddingDot.forward")
        }
        let rows = weight.value.gatherRows(ids)
        cache = (h, ids, rows)
        return Tensor(vector: Kernels.rowDots(rows.scalars, h.scalars, rows: ids.count, width: dimension))
    }

    /// ∂L/∂h (`[N, D]`) from ∂L/∂out (N elements); accumulates W's sparse row gradient.
    ///
    /// Uses the rows of W gathered in the forward pass (`[N, D]`, the book's `target_W`), so the
    /// layer never holds a reference to the whole of W (which would make in-place updates copy it).
    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (h, ids, rows) = requireCached(cache, "EmbeddingDot")
        require { () throws(NeuralNetworkError) in
            try Validate.elementCount(outputGradient, ids.count, "EmbeddingDot.backward")
        }
        let d = dimension
        let dh = Kernels.scaledRows(rows.scalars, factors: outputGradient.scalars, width: d)
        let dRows = Kernels.scaledRows(h.scalars, factors: outputGradient.scalars, width: d)
        weight.accumulateRowGradients(ids: ids, rows: Tensor(shape: [ids.count, d], scalars: dRows))
        return Tensor(shape: [ids.count, d], scalars: dh)
    }
}
