import Foundation
import TensorCore

/// The settings of a t-SNE run (van der Maaten & Hinton 2008, "Visualizing Data using t-SNE").
public struct TSNEConfiguration: Sendable, Equatable {
    /// The effective number of neighbours each point's Gaussian covers (`2^H(Pᵢ)`); lowered to
    /// `(n - 1) / 3` for small point sets, as every implementation does.
    public var perplexity: Double = 30
    /// Gradient-descent iterations.
    public var iterations: Int = 1000
    /// The step size `η`.
    public var learningRate: Double = 200
    /// The factor `α` that multiplies `P` during the first ``exaggerationIterations``.
    public var earlyExaggeration: Double = 12
    /// Iterations with exaggerated `P` and momentum 0.5 (momentum is 0.8 after them).
    public var exaggerationIterations: Int = 250
    /// Seed of the initial layout (`TensorCore.SplitMix64`).
    public var seed: UInt64 = 1

    public init(perplexity: Double = 30, iterations: Int = 1000, learningRate: Double = 200, seed: UInt64 = 1) {
        self.perplexity = perplexity
        self.iterations = iterations
        self.learningRate = learningRate
        self.seed = seed
    }
}

/// Exact t-SNE: a 2-D layout whose Student-t neighbour probabilities `Q` match the input's
/// Gaussian neighbour probabilities `P` by gradient descent on `KL(P ‖ Q)`.
///
/// - `pⱼ|ᵢ = exp(-‖xᵢ - xⱼ‖² βᵢ) / Σₖ≠ᵢ exp(-‖xᵢ - xₖ‖² βᵢ)`, with `βᵢ` found by bisection so
///   that the perplexity `exp(H(Pᵢ))` is the configured one; `pᵢⱼ = (pⱼ|ᵢ + pᵢ|ⱼ) / 2n`.
/// - `qᵢⱼ = (1 + ‖yᵢ - yⱼ‖²)⁻¹ / Σₖ≠ₗ (1 + ‖yₖ - yₗ‖²)⁻¹`.
/// - `∂KL/∂yᵢ = 4 Σⱼ (pᵢⱼ - qᵢⱼ)(yᵢ - yⱼ)(1 + ‖yᵢ - yⱼ‖²)⁻¹`, descended with momentum and the
///   per-coordinate gains of Jacobs (1988), as in the reference implementation.
///
/// O(n²) time per iteration and O(n²) memory: meant for up to ``maximumPoints`` points (a plot
/// of words and their neighbours), not a whole vocabulary. Seeded: the same points and
/// configuration give the same layout.
public struct StochasticNeighborEmbedding: Sendable, Equatable {
    /// The largest point set the exact method accepts (two `n x n` matrices of Doubles).
    public static let maximumPoints = 3000

    /// The 2-D layout, one `[x, y]` per input point, centred on the origin.
    public var coordinates: [[Double]]
    /// `KL(P ‖ Q)` of the final layout.
    public var divergence: Double
    /// The perplexity actually used (see ``TSNEConfiguration/perplexity``).
    public var perplexity: Double

    /// Lays out `points` (each of the same dimension) in two dimensions.
    public init(points: [[Double]], configuration: TSNEConfiguration = TSNEConfiguration()) throws(ProjectionError) {
        let n = points.count
        guard n >= 3 else { throw .tooFewPoints(count: n, minimum: 3, method: "t-SNE") }
        guard n <= Self.maximumPoints else { throw .tooManyPoints(count: n, maximum: Self.maximumPoints, method: "t-SNE") }
        let dimension = try checkedDimension(points)
        guard configuration.perplexity > 0, configuration.perplexity.isFinite else {
            throw .invalidParameter(name: "perplexity", value: configuration.perplexity, allowed: "positive")
        }
        guard configuration.iterations >= 0, configuration.iterations <= 100_000 else {
            throw .invalidParameter(name: "number of iterations", value: Double(configuration.iterations), allowed: "between 0 and 100000")
        }
        guard configuration.learningRate > 0, configuration.learningRate.isFinite else {
            throw .invalidParameter(name: "learning rate", value: configuration.learningRate, allowed: "positive")
        }
        let perplexity = min(configuration.perplexity, max(1, Double(n - 1) / 3))

        // Squared distances, scaled so that the bisection starts in a sensible range.
        var distances = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in (i + 1)..<n {
                var sum = 0.0
                for k in 0..<dimension {
                    let d = points[i][k] - points[j][k]
                    sum += d * d
                }
                distances[i * n + j] = sum
                distances[j * n + i] = sum
            }
        }
        let largest = distances.max() ?? 0
        if largest > 0 { for i in distances.indices { distances[i] /= largest } }

        var p = Self.conditionalProbabilities(distances, n: n, perplexity: perplexity)
        // Symmetrise and normalise: pᵢⱼ = (pⱼ|ᵢ + pᵢ|ⱼ) / 2n, floored to keep the logarithm finite.
        for i in 0..<n {
            for j in (i + 1)..<n {
                let value = max((p[i * n + j] + p[j * n + i]) / Double(2 * n), 1e-12)
                p[i * n + j] = value
                p[j * n + i] = value
            }
            p[i * n + i] = 0
        }

        var random = SplitMix64(seed: configuration.seed)
        var y = (0..<(2 * n)).map { _ in Double(random.nextNormal(mean: 0, standardDeviation: 1e-4)) }
        var update = [Double](repeating: 0, count: 2 * n)
        var gains = [Double](repeating: 1, count: 2 * n)
        var kernel = [Double](repeating: 0, count: n * n)
        var gradient = [Double](repeating: 0, count: 2 * n)

        for iteration in 0..<configuration.iterations {
            let early = iteration < configuration.exaggerationIterations
            let exaggeration = early ? configuration.earlyExaggeration : 1
            let momentum = early ? 0.5 : 0.8
            let normaliser = Self.studentKernel(y, n: n, into: &kernel)
            for i in 0..<n {
                var gx = 0.0, gy = 0.0
                for j in 0..<n where j != i {
                    let w = kernel[i * n + j]
                    let force = (exaggeration * p[i * n + j] - w / normaliser) * w
                    gx += force * (y[2 * i] - y[2 * j])
                    gy += force * (y[2 * i + 1] - y[2 * j + 1])
                }
                gradient[2 * i] = 4 * gx
                gradient[2 * i + 1] = 4 * gy
            }
            for c in 0..<(2 * n) {
                let sameDirection = (gradient[c] > 0) == (update[c] > 0)
                gains[c] = max(sameDirection ? gains[c] * 0.8 : gains[c] + 0.2, 0.01)
                update[c] = momentum * update[c] - configuration.learningRate * gains[c] * gradient[c]
                y[c] += update[c]
            }
            Self.centre(&y, n: n)
        }

        let normaliser = Self.studentKernel(y, n: n, into: &kernel)
        var divergence = 0.0
        for i in 0..<n {
            for j in 0..<n where j != i {
                let q = max(kernel[i * n + j] / normaliser, 1e-12)
                divergence += p[i * n + j] * log(p[i * n + j] / q)
            }
        }
        self.coordinates = (0..<n).map { [y[2 * $0], y[2 * $0 + 1]] }
        self.divergence = divergence
        self.perplexity = perplexity
    }

    /// `pⱼ|ᵢ` for every `i` (row-major `n x n`), each row's precision found by bisection on the
    /// entropy `H = log Σ e⁻ᵈβ + β Σ d e⁻ᵈβ / Σ e⁻ᵈβ` (natural logarithm).
    static func conditionalProbabilities(_ distances: [Double], n: Int, perplexity: Double) -> [Double] {
        let target = log(perplexity)
        var p = [Double](repeating: 0, count: n * n)
        var row = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var beta = 1.0
            var low = -Double.infinity, high = Double.infinity
            for _ in 0..<100 {
                var sum = 0.0, weighted = 0.0
                for j in 0..<n where j != i {
                    let value = exp(-distances[i * n + j] * beta)
                    row[j] = value
                    sum += value
                    weighted += distances[i * n + j] * value
                }
                row[i] = 0
                let entropy = sum > 0 ? log(sum) + beta * weighted / sum : 0
                let difference = entropy - target
                if abs(difference) < 1e-5 || sum == 0 { break }
                if difference > 0 {
                    low = beta
                    beta = high.isFinite ? (beta + high) / 2 : beta * 2
                } else {
                    high = beta
                    beta = low.isFinite ? (beta + low) / 2 : beta / 2
                }
            }
            let sum = row.reduce(0, +)
            for j in 0..<n { p[i * n + j] = sum > 0 ? row[j] / sum : (j == i ? 0 : 1 / Double(n - 1)) }
        }
        return p
    }

    /// Fills `kernel` with `(1 + ‖yᵢ - yⱼ‖²)⁻¹` (zero diagonal) and returns its sum.
    static func studentKernel(_ y: [Double], n: Int, into kernel: inout [Double]) -> Double {
        var sum = 0.0
        for i in 0..<n {
            kernel[i * n + i] = 0
            for j in (i + 1)..<n {
                let dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1]
                let w = 1 / (1 + dx * dx + dy * dy)
                kernel[i * n + j] = w
                kernel[j * n + i] = w
                sum += 2 * w
            }
        }
        return max(sum, .leastNormalMagnitude)
    }

    static func centre(_ y: inout [Double], n: Int) {
        var mx = 0.0, my = 0.0
        for i in 0..<n {
            mx += y[2 * i]
            my += y[2 * i + 1]
        }
        mx /= Double(n)
        my /= Double(n)
        for i in 0..<n {
            y[2 * i] -= mx
            y[2 * i + 1] -= my
        }
    }
}
