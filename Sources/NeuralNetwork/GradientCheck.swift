import TensorCore

/// The outcome of a gradient check: one relative error per checked tensor.
public struct GradientCheckResult: Sendable, Equatable, CustomStringConvertible {
    /// Relative error of each input's gradient, in input order.
    public var inputErrors: [Double]
    /// Relative error of each parameter's gradient, in parameter order.
    public var parameterErrors: [Double]

    /// The largest relative error over all checked tensors (0 when nothing was checked).
    public var maxRelativeError: Double { (inputErrors + parameterErrors).max() ?? 0 }

    public var description: String {
        let fmt: ([Double]) -> String = { $0.map { "\(Float($0))" }.joined(separator: ", ") }
        return "GradientCheckResult(max: \(Float(maxRelativeError)), inputs: [\(fmt(inputErrors))], parameters: [\(fmt(parameterErrors))])"
    }
}

/// Central-difference gradient checking (Saitoh 1, §4.4 and §5.7.3; cs231n "gradient checks").
///
/// For every element θ of every checked tensor the numerical derivative is
/// `(f(θ + ε) − f(θ − ε)) / 2ε`, with the scalar objective f accumulated in Double over the
/// Float32 forward pass. A layer's objective is `f(x) = Σ r ⊙ layer(x)` for a fixed random
/// projection r (seeded), whose analytic gradient is `backward(r)`; a loss layer's objective is
/// the loss itself, whose gradient is `backward(1)`.
///
/// The error of a tensor is `‖a − n‖₂ / max(‖a‖₂ + ‖n‖₂, floor)` (a: analytic, n: numerical),
/// a norm-wise relative error that is robust to individual tiny entries; the floor (1e-3) keeps
/// an all-zero gradient from turning rounding noise into a large relative error. With Float32
/// forward passes, ε = 1e-2 balances truncation (O(ε²)) against rounding (O(1e-7 / ε)); a
/// correct backward typically scores below 1e-3. Inputs near a kink (ReLU at 0) must be kept
/// further than ε from it.
public enum GradientCheck {
    /// The default finite-difference step for Float32.
    public static let defaultEpsilon: Float = 1e-2
    /// Denominator floor of the relative error.
    public static let errorFloor: Double = 1e-3

    /// The relative error `‖a − n‖ / max(‖a‖ + ‖n‖, floor)` of two equally shaped gradients.
    public static func relativeError(analytic: Tensor, numerical: Tensor, floor: Double = errorFloor) -> Double {
        precondition(analytic.count == numerical.count,
                     "Gradients of \(analytic.count) and \(numerical.count) elements cannot be compared.")
        var difference = 0.0, a = 0.0, n = 0.0
        for i in 0..<analytic.count {
            let x = Double(analytic.scalars[i]), y = Double(numerical.scalars[i])
            difference += (x - y) * (x - y)
            a += x * x
            n += y * y
        }
        return difference.squareRoot() / max(a.squareRoot() + n.squareRoot(), floor)
    }

    /// The general check: `objective(inputs)` is a scalar function of the inputs and parameters;
    /// `analytic(inputs)` must run forward and backward once and return ∂objective/∂input for each
    /// input (`compare` clears the parameter gradients before calling it and reads them afterwards
    /// with ``Parameter/densifiedGradient()``). Parameters are restored exactly after perturbation;
    /// a parameter listed twice is checked once.
    public static func compare(inputs: [Tensor], parameters: [Parameter], epsilon: Float = defaultEpsilon,
                               objective: ([Tensor]) -> Double,
                               analytic: ([Tensor]) -> [Tensor]) -> GradientCheckResult {
        let parameters = distinctParameters(parameters)
        parameters.zeroGradients()
        let inputGradients = analytic(inputs)
        precondition(inputGradients.count == inputs.count,
                     "The analytic closure returned \(inputGradients.count) input gradients for \(inputs.count) inputs.")
        let parameterGradients = parameters.map { $0.densifiedGradient() }
        parameters.zeroGradients()

        var inputErrors: [Double] = []
        var perturbed = inputs
        for k in inputs.indices {
            var numerical = inputs[k].zerosLike
            for i in 0..<inputs[k].count {
                let original = inputs[k].scalars[i]
                perturbed[k].scalars[i] = original + epsilon
                let plus = objective(perturbed)
                perturbed[k].scalars[i] = original - epsilon
                let minus = objective(perturbed)
                perturbed[k].scalars[i] = original
                numerical.scalars[i] = Float((plus - minus) / (2 * Double(epsilon)))
            }
            inputErrors.append(relativeError(analytic: inputGradients[k], numerical: numerical))
        }

        var parameterErrors: [Double] = []
        for (p, analyticGradient) in zip(parameters, parameterGradients) {
            var numerical = p.value.zerosLike
            for i in 0..<p.value.count {
                let original = p.value.scalars[i]
                p.value.scalars[i] = original + epsilon
                let plus = objective(inputs)
                p.value.scalars[i] = original - epsilon
                let minus = objective(inputs)
                p.value.scalars[i] = original
                numerical.scalars[i] = Float((plus - minus) / (2 * Double(epsilon)))
            }
            parameterErrors.append(relativeError(analytic: analyticGradient, numerical: numerical))
        }
        return GradientCheckResult(inputErrors: inputErrors, parameterErrors: parameterErrors)
    }

    /// Checks a ``Layer`` at `input` (and its parameters) with the objective `Σ r ⊙ layer(x)`.
    /// `beforeForward` runs before every forward pass (e.g. to reseed a Dropout mask).
    public static func check(_ layer: any Layer, input: Tensor, training: Bool = true,
                             epsilon: Float = defaultEpsilon, seed: UInt64 = 42,
                             beforeForward: () -> Void = {}) -> GradientCheckResult {
        beforeForward()
        let shape = layer.forward(input, training: training).shape
        var generator = SplitMix64(seed: seed)
        let projection = Tensor.randomNormal(shape: shape, using: &generator)
        return compare(inputs: [input], parameters: layer.parameters, epsilon: epsilon,
                       objective: { xs in
                           beforeForward()
                           return projectedSum(layer.forward(xs[0], training: training), projection)
                       },
                       analytic: { xs in
                           beforeForward()
                           _ = layer.forward(xs[0], training: training)
                           return [layer.backward(projection)]
                       })
    }

    /// Checks a ``LossLayer`` at `scores` against `labels`.
    public static func check<L: LossLayer>(_ loss: L, scores: Tensor, labels: L.Labels,
                                           epsilon: Float = defaultEpsilon) -> GradientCheckResult {
        compare(inputs: [scores], parameters: [], epsilon: epsilon,
                objective: { xs in Double(loss.forward(xs[0], labels: labels)) },
                analytic: { xs in
                    _ = loss.forward(xs[0], labels: labels)
                    return [loss.backward(1)]
                })
    }

    /// Checks an ``Embedding``'s sparse weight gradient for `ids` (repeats allowed).
    public static func check(_ embedding: Embedding, ids: [Int], epsilon: Float = defaultEpsilon,
                             seed: UInt64 = 42) -> GradientCheckResult {
        var generator = SplitMix64(seed: seed)
        let projection = Tensor.randomNormal(shape: [ids.count, embedding.dimension], using: &generator)
        return compare(inputs: [], parameters: embedding.parameters, epsilon: epsilon,
                       objective: { _ in projectedSum(embedding.forward(ids), projection) },
                       analytic: { _ in
                           _ = embedding.forward(ids)
                           embedding.backward(projection)
                           return []
                       })
    }

    /// Checks an ``EmbeddingDot`` at `h` for `ids`: the gradient with respect to h and the sparse
    /// gradient of W.
    public static func check(_ layer: EmbeddingDot, h: Tensor, ids: [Int], epsilon: Float = defaultEpsilon,
                             seed: UInt64 = 42) -> GradientCheckResult {
        var generator = SplitMix64(seed: seed)
        let projection = Tensor.randomNormal(shape: [ids.count], using: &generator)
        return compare(inputs: [h], parameters: layer.parameters, epsilon: epsilon,
                       objective: { xs in projectedSum(layer.forward(xs[0], ids: ids), projection) },
                       analytic: { xs in
                           _ = layer.forward(xs[0], ids: ids)
                           return [layer.backward(projection)]
                       })
    }

    /// `Σ r ⊙ y` in Double.
    static func projectedSum(_ y: Tensor, _ r: Tensor) -> Double {
        precondition(y.count == r.count, "A layer's output changed size between forward passes (\(y.count) vs \(r.count)).")
        var total = 0.0
        for i in 0..<y.count { total += Double(y.scalars[i]) * Double(r.scalars[i]) }
        return total
    }
}

extension GradientCheck {
    /// Checks a whole ``FeedForwardNetwork``: ∂L/∂input and every parameter's gradient of the loss
    /// of `input` against `labels`, in training mode (Dropout layers would need a fixed mask, so
    /// check networks without them).
    public static func check<Loss: LossLayer>(_ network: FeedForwardNetwork<Loss>, input: Tensor, labels: Loss.Labels,
                                              epsilon: Float = defaultEpsilon) -> GradientCheckResult {
        compare(inputs: [input], parameters: network.parameters, epsilon: epsilon,
                objective: { xs in Double(network.loss(xs[0], labels: labels, training: true)) },
                analytic: { xs in
                    _ = network.loss(xs[0], labels: labels, training: true)
                    return [network.backward()]
                })
    }
}
