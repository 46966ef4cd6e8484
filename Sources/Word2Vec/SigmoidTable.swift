import TensorCore

/// Tabulated logistic sigmoid and loss for the training engine (word2vec's `expTable`).
///
/// Cell `i` of `size` equal cells over `[-bound, bound]` holds the value at the cell's midpoint:
/// `sigmoid[i] = σ(x_i)` and `softplusOfNegative[i] = log(1 + e^{-x_i}) = -log σ(x_i)`, the
/// loss of a positive pair. Outside the range σ saturates to 0 or 1, as in word2vec.
struct SigmoidTable: Sendable {
    static let size = 1024
    static let bound: Float = 6
    /// Multiply `x + bound` by this to get the cell index.
    static let cellsPerUnit = Float(size) / (2 * bound)

    let sigmoid: [Float]
    let softplusOfNegative: [Float]

    init() {
        var sigmoid = [Float](repeating: 0, count: SigmoidTable.size)
        var softplus = [Float](repeating: 0, count: SigmoidTable.size)
        for i in 0..<SigmoidTable.size {
            let x = -Double(SigmoidTable.bound) + (Double(i) + 0.5) / Double(SigmoidTable.cellsPerUnit)
            sigmoid[i] = Float(1 / (1 + Double.exp(-x)))
            softplus[i] = Float(Double.log(1 + Double.exp(-x)))
        }
        self.sigmoid = sigmoid
        self.softplusOfNegative = softplus
    }
}
