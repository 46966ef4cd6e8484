import TensorCore

/// Sigmoid followed by binary cross-entropy, fused for stability (Saitoh, "Deep Learning from
/// Scratch 2", §4.2.3; the loss of word2vec's negative sampling).
///
/// - forward: logits x (any shape with N elements), targets t (N values, 1 for a positive
///   example and 0 for a negative one) →
///   `L = (1/N) Σ_i −[t_i log σ(x_i) + (1 − t_i) log(1 − σ(x_i))]`,
///   computed as `max(x, 0) − x t + log(1 + e^{−|x|})` so that large |x| never overflows.
/// - backward: `dx_i = dL · (σ(x_i) − t_i) / N`, shaped like x.
public final class SigmoidWithLoss: LossLayer {
    private var cache: (probabilities: [Float], targets: [Float], shape: [Int])?

    public init() {}

    /// σ(x) of the last forward pass, shaped like x.
    public var probabilities: Tensor? { cache.map { Tensor(shape: $0.shape, scalars: $0.probabilities) } }

    /// The mean binary cross-entropy of `scores` (logits) against `labels` (targets in [0, 1]).
    public func forward(_ scores: Tensor, labels: [Float]) -> Float {
        require { () throws(NeuralNetworkError) in
            try Validate.labelCount(labels.count, expected: scores.count, "SigmoidWithLoss.forward")
        }
        cache = (Kernels.sigmoid(scores.scalars), labels, scores.shape)
        guard !labels.isEmpty else { return 0 }
        return Float(Kernels.binaryCrossEntropySum(logits: scores.scalars, targets: labels) / Double(labels.count))
    }

    /// `lossGradient · (σ(x) − t) / N`, shaped like the last scores.
    public func backward(_ lossGradient: Float) -> Tensor {
        let (y, t, shape) = requireCached(cache, "SigmoidWithLoss")
        let factor = y.isEmpty ? 0 : lossGradient / Float(y.count)
        var dx = Tensor(shape: shape, scalars: y)
        dx.add(Tensor(shape: shape, scalars: t), scaledBy: -1)
        dx.scale(by: factor)
        return dx
    }
}

/// Softmax followed by cross-entropy against class indices (Saitoh, "Deep Learning from Scratch"
/// 1, §5.6.3; 2, §1.3).
///
/// - forward: scores x `[N, C]`, labels t (N class indices in `0..<C`) →
///   `L = (1/N) Σ_i −log softmax(x_i)[t_i]`, computed as `logsumexp(x_i) − x_i[t_i]`.
/// - backward: `dx = dL · (softmax(x) − onehot(t)) / N`, `[N, C]`.
public final class SoftmaxWithLoss: LossLayer {
    private var cache: (probabilities: Tensor, labels: [Int])?

    public init() {}

    /// softmax(x) of the last forward pass, `[N, C]`.
    public var probabilities: Tensor? { cache?.probabilities }

    /// The mean cross-entropy of `scores` `[N, C]` against `labels` (N class indices).
    public func forward(_ scores: Tensor, labels: [Int]) -> Float {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(scores, "SoftmaxWithLoss.forward")
            try Validate.classLabels(labels, rows: scores.shape[0], classCount: scores.shape[1], "SoftmaxWithLoss.forward")
        }
        let (n, c) = (scores.shape[0], scores.shape[1])
        let y = Tensor(shape: [n, c], scalars: Kernels.softmaxRows(scores.scalars, rows: n, columns: c))
        cache = (y, labels)
        guard n > 0 else { return 0 }
        return Float(Kernels.crossEntropySum(scores: scores.scalars, labels: labels, columns: c) / Double(n))
    }

    /// `lossGradient · (softmax(x) − onehot(t)) / N`, `[N, C]`.
    public func backward(_ lossGradient: Float) -> Tensor {
        let (y, labels) = requireCached(cache, "SoftmaxWithLoss")
        var dx = y
        for (i, t) in labels.enumerated() { dx[i, t] -= 1 }
        if !labels.isEmpty { dx.scale(by: lossGradient / Float(labels.count)) }
        return dx
    }
}

/// Half the squared error, averaged over the batch (Saitoh, "Deep Learning from Scratch" 1, §4.2.1,
/// averaged over rows).
///
/// - forward: predictions y and targets t of the same shape, N = number of rows (first axis;
///   1 for a scalar) → `L = (1 / 2N) Σ (y − t)²`.
/// - backward: `dy = dL · (y − t) / N`.
public final class MeanSquaredError: LossLayer {
    private var cache: (difference: Tensor, rows: Int)?

    public init() {}

    /// The mean over the batch of ½‖y_i − t_i‖².
    public func forward(_ scores: Tensor, labels: Tensor) -> Float {
        require { () throws(NeuralNetworkError) in try Validate.shape(labels, scores.shape, "MeanSquaredError.forward") }
        let difference = scores - labels
        let rows = scores.rank == 0 ? 1 : scores.shape[0]
        cache = (difference, rows)
        guard rows > 0 else { return 0 }
        return Float(Kernels.sumOfSquares(difference.scalars) / Double(2 * rows))
    }

    /// `lossGradient · (y − t) / N`.
    public func backward(_ lossGradient: Float) -> Tensor {
        let (difference, rows) = requireCached(cache, "MeanSquaredError")
        return rows == 0 ? difference : difference * (lossGradient / Float(rows))
    }
}
