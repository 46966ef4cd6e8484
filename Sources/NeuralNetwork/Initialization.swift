import TensorCore

/// How to draw a weight matrix `[fanIn, fanOut]` (Saitoh 1, §6.2).
///
/// - ``xavier``: N(0, 1/fanIn), the book's "Xavier" initial value (Glorot & Bengio 2010 use
///   2/(fanIn + fanOut); the book and Caffe use 1/fanIn). Suits sigmoid and tanh.
/// - ``he``: N(0, 2/fanIn) (He, Zhang, Ren & Sun 2015, "Delving Deep into Rectifiers"). Suits ReLU.
/// - ``normal(standardDeviation:)``: N(0, σ²) with a fixed σ (the book's `0.01 * randn`).
/// - ``uniform(limit:)``: U(−limit, limit) (Zaremba, Sutskever & Vinyals 2014 initialise their
///   LSTM language models with limit 0.1 (small) or 0.05 (medium)); σ = limit / √3.
public enum WeightInitialization: Sendable, Equatable {
    case xavier
    case he
    case normal(standardDeviation: Float)
    case uniform(limit: Float)

    /// σ for a layer with `fanIn` inputs: 1/√fanIn, √(2/fanIn) or the fixed σ.
    public func standardDeviation(fanIn: Int) -> Float {
        switch self {
        case .xavier: return 1 / Float(max(fanIn, 1)).squareRoot()
        case .he: return (2 / Float(max(fanIn, 1))).squareRoot()
        case let .normal(sigma): return sigma
        case let .uniform(limit): return limit / Float(3).squareRoot()
        }
    }

    /// A `[fanIn, fanOut]` matrix of N(0, σ²) samples (U(−limit, limit) for ``uniform(limit:)``)
    /// drawn from `generator`.
    public func matrix<G: RandomNumberGenerator>(fanIn: Int, fanOut: Int, using generator: inout G) -> Tensor {
        if case let .uniform(limit) = self {
            return Tensor.randomUniform(shape: [fanIn, fanOut], in: -limit...limit, using: &generator)
        }
        return Tensor.randomNormal(shape: [fanIn, fanOut], standardDeviation: standardDeviation(fanIn: fanIn), using: &generator)
    }
}
