import TensorCore

/// The elementwise nonlinearity between the Affine layers of ``FeedForwardNetwork``.
public enum Activation: Sendable, Equatable {
    case relu, sigmoid, tanh

    /// A fresh layer of this kind.
    public func makeLayer() -> any Layer {
        switch self {
        case .relu: return ReLU()
        case .sigmoid: return Sigmoid()
        case .tanh: return Tanh()
        }
    }

    /// The initialisation that suits it: He for ReLU, Xavier for the saturating ones.
    public var suitedInitialization: WeightInitialization { self == .relu ? .he : .xavier }
}

/// A stack of layers ending in a loss (Saitoh 1, §5.7 `TwoLayerNet`/`MultiLayerNet`; 2, §1.4).
///
/// - ``predict(_:)`` runs the layers in inference mode and returns the scores (before the loss).
/// - ``loss(_:labels:training:)`` runs layers and loss, caching for backward.
/// - ``backward()`` back-propagates from the loss, accumulating every parameter's gradient, and
///   returns ∂L/∂input.
/// - ``gradient(_:labels:)`` = clear gradients, loss, backward (the book's `gradient`).
///
/// A class because its layers are (they hold forward caches).
public final class FeedForwardNetwork<Loss: LossLayer> {
    /// The layers, applied in order.
    public let layers: [any Layer]
    /// The loss on the last layer's output.
    public let lossLayer: Loss

    /// A network from explicit layers and a loss.
    public init(layers: [any Layer], loss: Loss) {
        self.layers = layers
        self.lossLayer = loss
    }

    /// A multilayer perceptron: `inputSize → hiddenSizes... → outputSize`, each hidden Affine
    /// followed (optionally) by BatchNorm, the activation and (optionally) Dropout; weights drawn
    /// with the activation's suited initialisation from `generator`; Dropout seeded from it too.
    public convenience init<G: RandomNumberGenerator>(inputSize: Int, hiddenSizes: [Int], outputSize: Int,
                                                      activation: Activation = .relu, batchNormalization: Bool = false,
                                                      dropoutRate: Float = 0, loss: Loss, using generator: inout G) {
        var layers: [any Layer] = []
        var fanIn = inputSize
        for (k, width) in hiddenSizes.enumerated() {
            layers.append(Affine(inputSize: fanIn, outputSize: width, initialization: activation.suitedInitialization,
                                 name: "affine\(k + 1)", using: &generator))
            if batchNormalization { layers.append(BatchNorm(featureCount: width, name: "batchnorm\(k + 1)")) }
            layers.append(activation.makeLayer())
            if dropoutRate > 0 { layers.append(Dropout(rate: dropoutRate, seed: generator.next())) }
            fanIn = width
        }
        layers.append(Affine(inputSize: fanIn, outputSize: outputSize, initialization: activation.suitedInitialization,
                             name: "affine\(hiddenSizes.count + 1)", using: &generator))
        self.init(layers: layers, loss: loss)
    }

    /// The distinct parameters of all layers, in layer order.
    public var parameters: [Parameter] { distinctParameters(layers.flatMap { $0.parameters }) }

    /// The last layer's output for `input`, in training or inference mode.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        var x = input
        for layer in layers { x = layer.forward(x, training: training) }
        return x
    }

    /// The scores for `input` in inference mode.
    public func predict(_ input: Tensor) -> Tensor { forward(input, training: false) }

    /// The mean loss of `input` against `labels`; caches everything ``backward()`` needs.
    public func loss(_ input: Tensor, labels: Loss.Labels, training: Bool = true) -> Float {
        lossLayer.forward(forward(input, training: training), labels: labels)
    }

    /// Back-propagates the last loss: accumulates every parameter's gradient, returns ∂L/∂input.
    @discardableResult
    public func backward() -> Tensor {
        var gradient = lossLayer.backward(1)
        for layer in layers.reversed() { gradient = layer.backward(gradient) }
        return gradient
    }

    /// Clears the gradients, computes the loss (training mode) and back-propagates; returns the loss.
    @discardableResult
    public func gradient(_ input: Tensor, labels: Loss.Labels) -> Float {
        parameters.zeroGradients()
        let value = loss(input, labels: labels, training: true)
        backward()
        return value
    }
}

extension FeedForwardNetwork where Loss.Labels == [Int] {
    /// The fraction of rows whose highest score is the label.
    public func accuracy(_ input: Tensor, labels: [Int]) -> Double {
        require { () throws(NeuralNetworkError) in
            try Validate.labelCount(labels.count, expected: input.exampleCount, "FeedForwardNetwork.accuracy")
        }
        guard !labels.isEmpty else { return 0 }
        let predicted = predict(input).argmaxRows()
        return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
}

/// Mini-batch training of a ``FeedForwardNetwork`` (Saitoh 2, §1.4.4 `Trainer`).
///
/// Each epoch shuffles the examples with the caller's generator and, for each mini-batch:
/// clears gradients, runs forward and backward, applies L2 weight decay (if `weightDecay > 0`),
/// clips to `maxGradientNorm` (if set) and calls the optimizer. The last batch of an epoch may be
/// smaller.
public struct Trainer<Loss: LossLayer, Method: Optimizer> {
    /// The network being trained.
    public let network: FeedForwardNetwork<Loss>
    /// The update rule.
    public var optimizer: Method
    /// Examples per mini-batch.
    public var batchSize: Int
    /// The L2 weight-decay rate λ (0 = none); see `[Parameter].applyWeightDecay(rate:)`.
    public var weightDecay: Float
    /// The global gradient-norm limit (nil = no clipping); see `[Parameter].clipGradients(maxNorm:)`.
    public var maxGradientNorm: Float?

    /// - Precondition: `batchSize ≥ 1`, `weightDecay ≥ 0`, `maxGradientNorm` positive when given.
    public init(network: FeedForwardNetwork<Loss>, optimizer: Method, batchSize: Int,
                weightDecay: Float = 0, maxGradientNorm: Float? = nil) {
        require { () throws(NeuralNetworkError) in
            try Validate.atLeastOne("batch size", batchSize)
            try Validate.nonNegative("weight decay rate", weightDecay)
            if let maxGradientNorm { try Validate.positive("maximum gradient norm", maxGradientNorm) }
        }
        self.network = network
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.weightDecay = weightDecay
        self.maxGradientNorm = maxGradientNorm
    }

    /// One update on one mini-batch; returns its loss (without the weight-decay penalty).
    @discardableResult
    public mutating func step(_ input: Tensor, labels: Loss.Labels) -> Float {
        let value = network.gradient(input, labels: labels)
        let parameters = network.parameters
        if weightDecay > 0 { parameters.applyWeightDecay(rate: weightDecay) }
        if let maxGradientNorm { parameters.clipGradients(maxNorm: maxGradientNorm) }
        optimizer.update(parameters)
        return value
    }

    /// One epoch over `inputs` (`[N, I]`, or `[N, C, H, W]` images: any rank, examples first) and their `labels` (N examples) in shuffled
    /// mini-batches; returns the mean batch loss.
    @discardableResult
    public mutating func trainEpoch<G: RandomNumberGenerator>(inputs: Tensor, labels: Loss.Labels,
                                                              using generator: inout G) -> Float {
        require { () throws(NeuralNetworkError) in
            if inputs.rank < 2 {
                throw .shapeMismatch(operation: "Trainer.trainEpoch", expected: "[N, ...] (rank at least 2)", actual: inputs.shape)
            }
            try Validate.labelCount(labels.exampleCount, expected: inputs.shape[0], "Trainer.trainEpoch")
        }
        let order = Array(0..<inputs.shape[0]).shuffled(using: &generator)
        var total = 0.0, batches = 0
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let batch = Array(order[start..<min(start + batchSize, order.count)])
            total += Double(step(inputs.selecting(batch), labels: labels.selecting(batch)))
            batches += 1
        }
        return batches == 0 ? 0 : Float(total / Double(batches))
    }

    /// `epochs` epochs; returns the mean loss of each. `afterEpoch(epoch, loss)` is called after
    /// each (for progress reporting or early inspection).
    @discardableResult
    public mutating func fit<G: RandomNumberGenerator>(inputs: Tensor, labels: Loss.Labels, epochs: Int,
                                                       using generator: inout G,
                                                       afterEpoch: (Int, Float) -> Void = { _, _ in }) -> [Float] {
        var losses: [Float] = []
        for epoch in 0..<max(epochs, 0) {
            let value = trainEpoch(inputs: inputs, labels: labels, using: &generator)
            losses.append(value)
            afterEpoch(epoch, value)
        }
        return losses
    }
}
