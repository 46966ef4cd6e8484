import NeuralNetwork
import TensorCore

/// A seeded `[rows, columns]` matrix of standard normal samples.
func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = SplitMix64(seed: seed)
    return Tensor.randomNormal(shape: [rows, columns], standardDeviation: scale, using: &generator)
}

/// A matrix whose entries are at least `margin` away from zero (for kinks such as ReLU's).
func randomMatrixAwayFromZero(_ rows: Int, _ columns: Int, seed: UInt64, margin: Float = 0.1) -> Tensor {
    randomMatrix(rows, columns, seed: seed).map { $0 >= 0 ? $0 + margin : $0 - margin }
}

/// The largest gradient-check error tolerated by the tests.
let gradientTolerance = 1e-2
