import TensorCore

/// A differentiable building block with a forward and a backward pass (Saitoh, "Deep Learning
/// from Scratch" 1 & 2, ch. 1: the `forward`/`backward`/`params`/`grads` layer convention).
///
/// Layers are classes (`AnyObject`): `forward` caches what `backward` needs (inputs, masks,
/// normalised values), so a layer is a stateful object used by one computation at a time, and a
/// network holds its layers by reference. The trainable state lives in shared ``Parameter``s.
///
/// Contract:
/// - `forward(x, training:)` returns the output and caches what backward needs. `training`
///   selects train-time behaviour (Dropout masks, BatchNorm batch statistics); other layers ignore it.
/// - `backward(dout)` takes ∂L/∂output (shaped like the last output), returns ∂L/∂input
///   (shaped like the last input) and **adds** ∂L/∂parameter into each parameter's gradient.
/// - Shape errors and `backward` before `forward` are programming errors: they stop with a
///   message naming the layer and the shapes (see ``NeuralNetworkError``).
public protocol Layer: AnyObject {
    /// The trainable parameters (shared by reference; may be empty).
    var parameters: [Parameter] { get }
    /// The output for `input`, caching what ``backward(_:)`` needs.
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// ∂L/∂input from ∂L/∂output; accumulates parameter gradients.
    func backward(_ outputGradient: Tensor) -> Tensor
}

extension Layer {
    public var parameters: [Parameter] { [] }
}

/// A loss at the end of a network: maps scores and labels to a scalar loss (mean over the batch)
/// and back-propagates ∂L/∂scores.
public protocol LossLayer: AnyObject {
    /// What the labels of a batch look like: class indices (`[Int]`), binary targets (`[Float]`)
    /// or a target tensor.
    associatedtype Labels: BatchLabels
    /// The mean loss over the batch; caches what ``backward(_:)`` needs.
    func forward(_ scores: Tensor, labels: Labels) -> Float
    /// ∂(lossGradient · L)/∂scores, shaped like the last scores. Pass 1 for the loss itself.
    func backward(_ lossGradient: Float) -> Tensor
}

extension LossLayer {
    /// ∂L/∂scores of the last forward pass.
    public func backward() -> Tensor { backward(1) }
}

/// Labels that can be cut into mini-batches by example index.
public protocol BatchLabels {
    /// The number of examples.
    var exampleCount: Int { get }
    /// The labels of the examples `indices`, in that order.
    func selecting(_ indices: [Int]) -> Self
}

extension Array: BatchLabels {
    public var exampleCount: Int { count }
    public func selecting(_ indices: [Int]) -> [Element] { indices.map { self[$0] } }
}

extension Tensor: BatchLabels {
    /// The rows of a matrix (the elements of a vector).
    public var exampleCount: Int { rank == 0 ? 0 : shape[0] }
    public func selecting(_ indices: [Int]) -> Tensor {
        if rank == 1 { return Tensor(vector: indices.map { scalars[$0] }) }
        return reshaped([shape[0], columns]).gatherRows(indices).reshaped([indices.count] + shape.dropFirst())
    }
}
