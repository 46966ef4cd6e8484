import TensorCore

/// Updates parameters from their accumulated gradients (Saitoh, "Deep Learning from Scratch" 1, §6.1).
///
/// `update` applies one step to every parameter that has a gradient, each distinct parameter once
/// (a list may name a shared parameter several times). It does not clear gradients: call
/// `parameters.zeroGradients()` before the next backward pass.
///
/// **Sparse rows.** A parameter whose gradient is only sparse (``Parameter/sparseGradient``, from
/// ``Embedding`` and ``EmbeddingDot``) is updated on its touched rows only, in O(touched rows x D).
/// For SGD and AdaGrad this equals the dense update exactly (an untouched row has gradient 0 and
/// would not move). For Momentum, RMSProp and Adam it is the *lazy* variant (as TensorFlow's
/// LazyAdam / PyTorch's SparseAdam): an untouched row's state is neither decayed nor applied
/// until the row is touched again, while the dense update would keep moving it by its remaining
/// velocity. When a parameter has both dense and sparse gradients, they are summed into the dense
/// gradient and the dense update is used.
///
/// Optimizers keep per-parameter state (velocities, moment estimates) keyed by parameter identity
/// and hold those parameters strongly, so an optimizer should live as long as its network.
public protocol Optimizer {
    /// The step size.
    var learningRate: Float { get set }
    /// One step on every distinct parameter that has a gradient.
    mutating func update(_ parameters: [Parameter])
    /// One step as if every gradient had first been multiplied by `gradientScale` (global-norm
    /// clipping: ``Swift/Array/clippingScale(maxNorm:)``). The default scales the gradients,
    /// then calls ``update(_:)``; SGD folds the factor into its step instead, one pass fewer.
    mutating func update(_ parameters: [Parameter], gradientScale: Float)
}

extension Optimizer {
    public mutating func update(_ parameters: [Parameter], gradientScale: Float) {
        if gradientScale != 1 {
            for p in distinctParameters(parameters) { p.scaleGradient(by: gradientScale) }
        }
        update(parameters)
    }
}

/// The distinct parameters of `parameters` (by identity), in first-seen order.
func distinctParameters(_ parameters: [Parameter]) -> [Parameter] {
    var seen = Set<ObjectIdentifier>()
    return parameters.filter { seen.insert(ObjectIdentifier($0)).inserted }
}

/// Per-parameter optimizer buffers, keyed by identity (the parameter is retained so that its
/// identifier cannot be reused by another object).
struct OptimizerSlots {
    struct Slot {
        let parameter: Parameter
        var first: [Float]
        var second: [Float]
        var step: Int
    }

    private var slots: [ObjectIdentifier: Slot] = [:]

    /// Runs `body` on the slot of `parameter` (zero buffers of the value's size on first use).
    mutating func withSlot(for parameter: Parameter, buffers: Int, _ body: (inout Slot) -> Void) {
        let key = ObjectIdentifier(parameter)
        let count = parameter.value.count
        var slot = slots.removeValue(forKey: key)
            ?? Slot(parameter: parameter, first: [], second: [], step: 0)
        if slot.first.count != (buffers >= 1 ? count : 0) {
            slot.first = [Float](repeating: 0, count: buffers >= 1 ? count : 0)
            slot.second = [Float](repeating: 0, count: buffers >= 2 ? count : 0)
            slot.step = 0
        }
        body(&slot)
        slots[key] = slot
    }

    /// The number of parameters with state.
    var count: Int { slots.count }
}

/// Stochastic gradient descent: `w ← w − lr · g`.
public struct SGD: Optimizer {
    public var learningRate: Float

    /// - Precondition: `learningRate` is positive and finite.
    public init(learningRate: Float = 0.01) {
        require { () throws(NeuralNetworkError) in try Validate.positive("learning rate", learningRate) }
        self.learningRate = learningRate
    }

    public mutating func update(_ parameters: [Parameter]) {
        update(parameters, gradientScale: 1)
    }

    /// `w ← w − (lr · scale) · g`: the clipped step without rewriting the gradients.
    public mutating func update(_ parameters: [Parameter], gradientScale: Float) {
        for p in distinctParameters(parameters) {
            guard let g = p.gradientRows() else { continue }
            Kernels.sgd(&p.value.scalars, g, learningRate: learningRate * gradientScale)
        }
    }
}

/// SGD with momentum (Polyak 1964; Saitoh 1, §6.1.4): `v ← μ v − lr · g`, `w ← w + v`.
/// Lazy on sparse rows (see ``Optimizer``).
public struct Momentum: Optimizer {
    public var learningRate: Float
    /// μ, the fraction of the velocity kept per step.
    public var momentum: Float
    private var slots = OptimizerSlots()

    /// - Precondition: `learningRate` positive, `momentum` in [0, 1).
    public init(learningRate: Float = 0.01, momentum: Float = 0.9) {
        require { () throws(NeuralNetworkError) in
            try Validate.positive("learning rate", learningRate)
            try Validate.unitInterval("momentum", momentum)
        }
        self.learningRate = learningRate
        self.momentum = momentum
    }

    public mutating func update(_ parameters: [Parameter]) {
        let (lr, mu) = (learningRate, momentum)
        for p in distinctParameters(parameters) {
            guard let g = p.gradientRows() else { continue }
            slots.withSlot(for: p, buffers: 1) { slot in
                Kernels.momentum(&p.value.scalars, &slot.first, g, learningRate: lr, momentum: mu)
            }
        }
    }
}

/// AdaGrad (Duchi, Hazan & Singer 2011): `h ← h + g²`, `w ← w − lr · g / (√h + ε)`.
/// Exact on sparse rows (an untouched row's h does not change).
public struct AdaGrad: Optimizer {
    public var learningRate: Float
    /// ε, added to √h to avoid division by zero.
    public var epsilon: Float
    private var slots = OptimizerSlots()

    /// - Precondition: `learningRate` and `epsilon` positive.
    public init(learningRate: Float = 0.01, epsilon: Float = 1e-7) {
        require { () throws(NeuralNetworkError) in
            try Validate.positive("learning rate", learningRate)
            try Validate.positive("epsilon", epsilon)
        }
        self.learningRate = learningRate
        self.epsilon = epsilon
    }

    public mutating func update(_ parameters: [Parameter]) {
        let (lr, eps) = (learningRate, epsilon)
        for p in distinctParameters(parameters) {
            guard let g = p.gradientRows() else { continue }
            slots.withSlot(for: p, buffers: 1) { slot in
                Kernels.scaledBySquares(&p.value.scalars, &slot.first, g, learningRate: lr,
                                        decay: 0, accumulate: true, epsilon: eps)
            }
        }
    }
}

/// RMSProp (Tieleman & Hinton 2012): `h ← ρ h + (1 − ρ) g²`, `w ← w − lr · g / (√h + ε)`.
/// Lazy on sparse rows (see ``Optimizer``).
public struct RMSProp: Optimizer {
    public var learningRate: Float
    /// ρ, the decay of the squared-gradient average.
    public var decay: Float
    /// ε, added to √h.
    public var epsilon: Float
    private var slots = OptimizerSlots()

    /// - Precondition: `learningRate` and `epsilon` positive, `decay` in [0, 1).
    public init(learningRate: Float = 0.01, decay: Float = 0.99, epsilon: Float = 1e-7) {
        require { () throws(NeuralNetworkError) in
            try Validate.positive("learning rate", learningRate)
            try Validate.unitInterval("decay rate", decay)
            try Validate.positive("epsilon", epsilon)
        }
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
    }

    public mutating func update(_ parameters: [Parameter]) {
        let (lr, rho, eps) = (learningRate, decay, epsilon)
        for p in distinctParameters(parameters) {
            guard let g = p.gradientRows() else { continue }
            slots.withSlot(for: p, buffers: 1) { slot in
                Kernels.scaledBySquares(&p.value.scalars, &slot.first, g, learningRate: lr,
                                        decay: rho, accumulate: false, epsilon: eps)
            }
        }
    }
}

/// Adam (Kingma & Ba 2015, Algorithm 1) with bias correction:
/// `m ← β₁ m + (1 − β₁) g`, `v ← β₂ v + (1 − β₂) g²`,
/// `w ← w − lr · m̂ / (√v̂ + ε)` with `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)`.
///
/// t counts the updates of each parameter. On sparse rows Adam is lazy (see ``Optimizer``): only
/// touched rows update m, v and w, and the bias correction uses the parameter's step count t,
/// not the row's (as TensorFlow's LazyAdam).
public struct Adam: Optimizer {
    public var learningRate: Float
    /// β₁, the decay of the first-moment estimate.
    public var beta1: Float
    /// β₂, the decay of the second-moment estimate.
    public var beta2: Float
    /// ε, added to √v̂.
    public var epsilon: Float
    private var slots = OptimizerSlots()

    /// - Precondition: `learningRate` and `epsilon` positive, β₁ and β₂ in [0, 1).
    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        require { () throws(NeuralNetworkError) in
            try Validate.positive("learning rate", learningRate)
            try Validate.unitInterval("beta1", beta1)
            try Validate.unitInterval("beta2", beta2)
            try Validate.positive("epsilon", epsilon)
        }
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public mutating func update(_ parameters: [Parameter]) {
        let (lr, b1, b2, eps) = (learningRate, beta1, beta2, epsilon)
        for p in distinctParameters(parameters) {
            guard let g = p.gradientRows() else { continue }
            slots.withSlot(for: p, buffers: 2) { slot in
                slot.step += 1
                let t = Float(slot.step)
                let c1 = 1 - Float.pow(b1, t), c2 = 1 - Float.pow(b2, t)
                Kernels.adam(&p.value.scalars, &slot.first, &slot.second, g, learningRate: lr,
                             beta1: b1, beta2: b2, epsilon: eps, correction1: c1, correction2: c2)
            }
        }
    }
}
