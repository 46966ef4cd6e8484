import TensorCore

/// Rectified linear unit (Saitoh 1, §5.5.1), elementwise on any shape.
///
/// - forward: `y = max(x, 0)`.
/// - backward: `dx = dy ⊙ [x > 0]` (the derivative at 0 is taken as 0).
public final class ReLU: Layer {
    private var cachedMask: Tensor?

    public init() {}

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let mask = input.map { $0 > 0 ? 1 : 0 }
        cachedMask = mask
        return input * mask
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let mask = requireCached(cachedMask, "ReLU")
        require { () throws(NeuralNetworkError) in try Validate.shape(outputGradient, mask.shape, "ReLU.backward") }
        return outputGradient * mask
    }
}

/// The logistic sigmoid (Saitoh 1, §5.5.2), elementwise on any shape.
///
/// - forward: `y = σ(x) = 1 / (1 + e^{−x})` (evaluated without overflow).
/// - backward: `dx = dy ⊙ y ⊙ (1 − y)`.
public final class Sigmoid: Layer {
    private var cachedOutput: Tensor?

    public init() {}

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let y = Tensor(shape: input.shape, scalars: Kernels.sigmoid(input.scalars))
        cachedOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let y = requireCached(cachedOutput, "Sigmoid")
        require { () throws(NeuralNetworkError) in try Validate.shape(outputGradient, y.shape, "Sigmoid.backward") }
        return outputGradient * y.map { $0 * (1 - $0) }
    }
}

/// The hyperbolic tangent, elementwise on any shape (Saitoh 2, §5.3: the RNN activation).
///
/// - forward: `y = tanh(x)`.
/// - backward: `dx = dy ⊙ (1 − y²)`.
public final class Tanh: Layer {
    private var cachedOutput: Tensor?

    public init() {}

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let y = input.map { Float.tanh($0) }
        cachedOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let y = requireCached(cachedOutput, "Tanh")
        require { () throws(NeuralNetworkError) in try Validate.shape(outputGradient, y.shape, "Tanh.backward") }
        return outputGradient * y.map { 1 - $0 * $0 }
    }
}

/// Row-wise softmax of an `[N, C]` matrix (Saitoh 1, §3.5; 2, §1.3.1).
///
/// - forward: `y_ij = e^{x_ij − m_i} / Σ_k e^{x_ik − m_i}` with `m_i = max_k x_ik` for stability.
/// - backward: `dx_ij = y_ij (dy_ij − Σ_k dy_ik y_ik)`.
///
/// For classification training use ``SoftmaxWithLoss``, whose fused gradient is simpler and exact.
public final class Softmax: Layer {
    private var cachedOutput: Tensor?

    public init() {}

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        require { () throws(NeuralNetworkError) in try Validate.matrix(input, "Softmax.forward") }
        let (n, c) = (input.shape[0], input.shape[1])
        let y = Tensor(shape: [n, c], scalars: Kernels.softmaxRows(input.scalars, rows: n, columns: c))
        cachedOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let y = requireCached(cachedOutput, "Softmax")
        require { () throws(NeuralNetworkError) in try Validate.shape(outputGradient, y.shape, "Softmax.backward") }
        return Tensor(shape: y.shape, scalars: Kernels.softmaxBackward(y: y.scalars, dout: outputGradient.scalars,
                                                                       rows: y.shape[0], columns: y.shape[1]))
    }
}
