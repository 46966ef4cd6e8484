import TensorCore

/// Gradient bookkeeping that works with any ``Optimizer``: clearing, L2 weight decay and
/// global-norm clipping. Each distinct parameter (by identity) is handled once.
extension Array where Element == Parameter {
    /// Clears every parameter's dense and sparse gradient (O(touched rows) for sparse ones).
    public func zeroGradients() {
        for p in distinctParameters(self) { p.zeroGradient() }
    }

    /// L2 weight decay: adds `rate · w` to each gradient, i.e. the gradient of the penalty
    /// `(rate / 2) Σ ‖w‖²` (Saitoh 1, §6.4.1). Call after backward, before the optimizer step.
    ///
    /// Only gradient entries that are present are decayed: all of a dense gradient, the touched
    /// rows of a sparse one (lazy decay, so that an embedding step stays O(touched rows));
    /// parameters without any gradient are left alone.
    /// - Precondition: `rate` is non-negative and finite.
    public func applyWeightDecay(rate: Float) {
        require { () throws(NeuralNetworkError) in try Validate.nonNegative("weight decay rate", rate) }
        guard rate > 0 else { return }
        for p in distinctParameters(self) { p.addScaledValueToGradient(rate) }
    }

    /// The L2 penalty `(rate / 2) Σ ‖w‖²` over the distinct parameters (to report alongside the
    /// loss when ``applyWeightDecay(rate:)`` is used).
    public func weightDecayPenalty(rate: Float) -> Float {
        var total = 0.0
        for p in distinctParameters(self) { total += Kernels.sumOfSquares(p.value.scalars) }
        return Float(0.5 * Double(rate) * total)
    }

    /// The global gradient norm `√(Σ_p ‖∂L/∂p‖²)` over dense and sparse gradients.
    public func gradientNorm() -> Float {
        var total = 0.0
        for p in distinctParameters(self) { total += p.gradientSquaredNorm() }
        return Float(total.squareRoot())
    }

    /// Global-norm gradient clipping (Pascanu, Mikolov & Bengio 2013; Saitoh 2, §5.5.1): when the
    /// global norm exceeds `maxNorm`, scales every gradient by `maxNorm / (norm + 1e-6)`.
    /// Returns the norm before clipping.
    /// - Precondition: `maxNorm` is positive and finite.
    @discardableResult
    public func clipGradients(maxNorm: Float) -> Float {
        let (norm, scale) = clippingScale(maxNorm: maxNorm)
        if scale < 1 {
            for p in distinctParameters(self) { p.scaleGradient(by: scale) }
        }
        return norm
    }

    /// The global gradient norm and the factor ``clipGradients(maxNorm:)`` would scale the
    /// gradients by (`maxNorm / (norm + 1e-6)` when the norm exceeds `maxNorm`, else 1), without
    /// scaling them: ``Optimizer/update(_:gradientScale:)`` can apply the factor in its own pass.
    /// - Precondition: `maxNorm` is positive and finite.
    public func clippingScale(maxNorm: Float) -> (norm: Float, scale: Float) {
        require { () throws(NeuralNetworkError) in try Validate.positive("maximum gradient norm", maxNorm) }
        let norm = gradientNorm()
        return (norm, Swift.min(1, maxNorm / (norm + 1e-6)))
    }
}
