import TensorCore

/// Inverted dropout (Srivastava et al. 2014; Saitoh 1, §6.4.3), elementwise on any shape.
///
/// - training: each element is kept with probability `1 − rate` and scaled by `1 / (1 − rate)`,
///   `y = x ⊙ m / (1 − rate)` with m ~ Bernoulli(1 − rate), so the expected output equals x;
///   backward is `dx = dy ⊙ m / (1 − rate)`.
/// - inference (`training: false`): the identity, in both directions.
///
/// The masks come from a seeded ``SplitMix64``; ``reseed(_:)`` restarts the sequence (a gradient
/// check reseeds before every forward pass so that the mask is fixed).
public final class Dropout: Layer {
    /// The probability of dropping an element, in [0, 1).
    public let rate: Float
    private var generator: SplitMix64
    private var cachedMask: Tensor?
    private var cachedShape: [Int]?

    /// - Precondition: `rate` is in [0, 1).
    public init(rate: Float, seed: UInt64 = 0) {
        require { () throws(NeuralNetworkError) in try Validate.unitInterval("dropout rate", rate) }
        self.rate = rate
        self.generator = SplitMix64(seed: seed)
    }

    /// Restarts the mask sequence from `seed`.
    public func reseed(_ seed: UInt64) { generator = SplitMix64(seed: seed) }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        cachedShape = input.shape
        guard training, rate > 0 else {
            cachedMask = nil
            return input
        }
        let keep = 1 - rate, scale = 1 / (1 - rate)
        var mask = Tensor(shape: input.shape)
        for i in 0..<mask.count where generator.nextUnitFloat() < keep { mask.scalars[i] = scale }
        cachedMask = mask
        return input * mask
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let shape = requireCached(cachedShape, "Dropout")
        require { () throws(NeuralNetworkError) in try Validate.shape(outputGradient, shape, "Dropout.backward") }
        guard let mask = cachedMask else { return outputGradient }
        return outputGradient * mask
    }
}

/// Batch normalisation over the rows of an `[N, D]` batch (Ioffe & Szegedy 2015; Saitoh 1, §6.3).
///
/// - training: per feature j, `μ_j = mean_i x_ij`, `σ²_j = mean_i (x_ij − μ_j)²` (biased),
///   `x̂ = (x − μ) / √(σ² + ε)`, `y = γ ⊙ x̂ + β`; the running statistics are updated as
///   `running ← momentum · running + (1 − momentum) · batch`.
/// - inference: the same with the running mean and variance instead of the batch's.
/// - backward (training): `dβ = Σ_i dy`, `dγ = Σ_i dy ⊙ x̂`, and with `g = dy ⊙ γ`,
///   `dx = (1 / N) / √(σ² + ε) ⊙ (N g − Σ_i g − x̂ ⊙ Σ_i (g ⊙ x̂))`;
///   (inference) `dx = g / √(σ² + ε)`.
public final class BatchNorm: Layer {
    /// γ, `[D]`, initially ones.
    public let gamma: Parameter
    /// β, `[D]`, initially zeros.
    public let beta: Parameter
    /// The running mean used at inference, `[D]`, initially zeros.
    public private(set) var runningMean: Tensor
    /// The running (biased) variance used at inference, `[D]`, initially ones.
    public private(set) var runningVariance: Tensor
    /// The fraction of the running statistics kept per training batch.
    public let momentum: Float
    /// ε, added to the variance.
    public let epsilon: Float
    private var cache: (normalized: Tensor, inverseDeviation: Tensor, training: Bool)?

    /// A layer normalising `featureCount` features.
    /// - Precondition: `momentum` in [0, 1), `epsilon` positive.
    public init(featureCount: Int, momentum: Float = 0.9, epsilon: Float = 1e-5, name: String = "batchnorm") {
        require { () throws(NeuralNetworkError) in
            try Validate.unitInterval("batch-norm momentum", momentum)
            try Validate.positive("batch-norm epsilon", epsilon)
        }
        gamma = Parameter(Tensor(shape: [featureCount], repeating: 1), name: name + ".gamma")
        beta = Parameter(Tensor(shape: [featureCount]), name: name + ".beta")
        runningMean = Tensor(shape: [featureCount])
        runningVariance = Tensor(shape: [featureCount], repeating: 1)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public var parameters: [Parameter] { [gamma, beta] }
    /// D.
    public var featureCount: Int { gamma.value.count }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        require { () throws(NeuralNetworkError) in try Validate.matrix(input, columns: featureCount, "BatchNorm.forward") }
        let eps = epsilon
        let normalized: Tensor, inverseDeviation: Tensor
        if training && input.shape[0] > 0 {
            let n = Float(input.shape[0])
            let mean = input.sum(alongAxis: 0) / n
            let centered = input - mean
            let variance = (centered * centered).sum(alongAxis: 0) / n
            inverseDeviation = variance.map { 1 / ($0 + eps).squareRoot() }
            normalized = centered * inverseDeviation
            runningMean = runningMean * momentum + mean * (1 - momentum)
            runningVariance = runningVariance * momentum + variance * (1 - momentum)
        } else {
            inverseDeviation = runningVariance.map { 1 / ($0 + eps).squareRoot() }
            normalized = (input - runningMean) * inverseDeviation
        }
        cache = (normalized, inverseDeviation, training)
        return normalized * gamma.value + beta.value
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (normalized, inverseDeviation, training) = requireCached(cache, "BatchNorm")
        require { () throws(NeuralNetworkError) in
            try Validate.shape(outputGradient, normalized.shape, "BatchNorm.backward")
        }
        beta.gradient.add(outputGradient.sum(alongAxis: 0))
        gamma.gradient.add((outputGradient * normalized).sum(alongAxis: 0))
        let g = outputGradient * gamma.value
        guard training, normalized.shape[0] > 0 else { return g * inverseDeviation }
        let n = Float(normalized.shape[0])
        let sumG = g.sum(alongAxis: 0)
        let sumGX = (g * normalized).sum(alongAxis: 0)
        return (g * n - sumG - normalized * sumGX) * (inverseDeviation / n)
    }
}
