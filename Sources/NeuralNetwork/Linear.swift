import TensorCore

/// A matrix product without bias (Saitoh 2, §1.3.4.4): the hidden layer of the simple word2vec.
///
/// - forward: x `[N, I]` → `y = x W`, `[N, O]`, for W `[I, O]` (BLAS sgemm).
/// - backward: dy `[N, O]` → `dx = dy Wᵀ` (returned) and `dW += xᵀ dy`.
public final class MatMul: Layer {
    /// W, `[inputSize, outputSize]`.
    public let weight: Parameter
    private var cachedInput: Tensor?

    /// A layer multiplying by `weight` (a `[I, O]` matrix, possibly shared).
    public init(weight: Parameter) {
        require { () throws(NeuralNetworkError) in try Validate.matrix(weight.value, "MatMul's weight") }
        self.weight = weight
    }

    /// A layer with a fresh `[inputSize, outputSize]` weight.
    public convenience init<G: RandomNumberGenerator>(inputSize: Int, outputSize: Int,
                                                      initialization: WeightInitialization = .xavier,
                                                      name: String = "matmul", using generator: inout G) {
        self.init(weight: Parameter(initialization.matrix(fanIn: inputSize, fanOut: outputSize, using: &generator),
                                    name: name + ".weight"))
    }

    public var parameters: [Parameter] { [weight] }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(input, columns: weight.value.shape[0], "MatMul.forward")
        }
        cachedInput = input
        return Tensor.matmul(input, weight.value)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let x = requireCached(cachedInput, "MatMul")
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(outputGradient, rows: x.shape[0], columns: weight.value.shape[1], "MatMul.backward")
        }
        weight.gradient.add(Tensor.matmul(x, outputGradient, transposeLeft: true))
        return Tensor.matmul(outputGradient, weight.value, transposeRight: true)
    }
}

/// A fully connected layer (Saitoh 1, §5.6.2).
///
/// - forward: x `[N, I]` → `y = x W + b`, `[N, O]`, for W `[I, O]` and b `[O]` broadcast over rows.
/// - backward: dy `[N, O]` → `dx = dy Wᵀ` (returned), `dW += xᵀ dy`, `db += Σ_rows dy`.
public final class Affine: Layer {
    /// W, `[inputSize, outputSize]`.
    public let weight: Parameter
    /// b, `[outputSize]`.
    public let bias: Parameter
    private var cachedInput: Tensor?

    /// A layer with the given weight (`[I, O]`) and bias (`[O]`).
    public init(weight: Parameter, bias: Parameter) {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(weight.value, "Affine's weight")
            try Validate.shape(bias.value, [weight.value.shape[1]], "Affine's bias")
        }
        self.weight = weight
        self.bias = bias
    }

    /// A layer with a fresh `[inputSize, outputSize]` weight and a zero bias.
    public convenience init<G: RandomNumberGenerator>(inputSize: Int, outputSize: Int,
                                                      initialization: WeightInitialization = .he,
                                                      name: String = "affine", using generator: inout G) {
        self.init(weight: Parameter(initialization.matrix(fanIn: inputSize, fanOut: outputSize, using: &generator),
                                    name: name + ".weight"),
                  bias: Parameter(Tensor(shape: [outputSize]), name: name + ".bias"))
    }

    public var parameters: [Parameter] { [weight, bias] }
    /// I.
    public var inputSize: Int { weight.value.shape[0] }
    /// O.
    public var outputSize: Int { weight.value.shape[1] }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        require { () throws(NeuralNetworkError) in try Validate.matrix(input, columns: inputSize, "Affine.forward") }
        cachedInput = input
        return Tensor.matmul(input, weight.value) + bias.value
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let x = requireCached(cachedInput, "Affine")
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(outputGradient, rows: x.shape[0], columns: outputSize, "Affine.backward")
        }
        weight.gradient.add(Tensor.matmul(x, outputGradient, transposeLeft: true))
        bias.gradient.add(outputGradient.sum(alongAxis: 0))
        return Tensor.matmul(outputGradient, weight.value, transposeRight: true)
    }
}
