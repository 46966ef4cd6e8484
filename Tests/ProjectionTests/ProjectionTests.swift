import Foundation
import Testing
import TensorCore
@testable import Projection

/// Four points on the axes of a rotated plane in 3-D, offset from the origin: the first principal
/// direction is the rotated x axis (sum of squares 18 of 20), the second the rotated y axis (2 of 20).
private func rotatedCross() -> (points: [[Double]], first: [Double], second: [Double]) {
    let angle = Double.pi / 6
    let first = [cos(angle), sin(angle), 0.0]
    let second = [-sin(angle), cos(angle), 0.0]
    let offset = [5.0, -2.0, 7.0]
    let planar: [(Double, Double)] = [(3, 0), (-3, 0), (0, 1), (0, -1)]
    let points = planar.map { a, b in (0..<3).map { offset[$0] + a * first[$0] + b * second[$0] } }
    return (points, first, second)
}

@Suite struct PrincipalComponentsTests {
    @Test func knownAnswerOnARotatedCross() throws {
        let (points, first, second) = rotatedCross()
        let pca = try PrincipalComponents(points: points)
        #expect(abs(pca.explainedVarianceRatio[0] - 0.9) < 1e-5)
        #expect(abs(pca.explainedVarianceRatio[1] - 0.1) < 1e-5)
        let expected: [[Double]] = [[3, 0], [-3, 0], [0, 1], [0, -1]]
        for (got, want) in zip(pca.coordinates, expected) {
            #expect(abs(got[0] - want[0]) < 1e-4 && abs(got[1] - want[1]) < 1e-4, "got \(got), want \(want)")
        }
        for j in 0..<3 {
            #expect(abs(pca.directions[0][j] - first[j]) < 1e-5)
            #expect(abs(pca.directions[1][j] - second[j]) < 1e-5)
        }
    }

    @Test func rankOneDataExplainsEverythingInOneComponent() throws {
        let points = (0..<6).map { t in [Double(t), 2 * Double(t), -Double(t)] }
        let pca = try PrincipalComponents(points: points)
        #expect(abs(pca.explainedVarianceRatio[0] - 1) < 1e-6)
        #expect(pca.explainedVarianceRatio[1] < 1e-6)
        // Coordinates are (t - 2.5) * |(1, 2, -1)| along the line.
        for (t, point) in pca.coordinates.enumerated() {
            #expect(abs(abs(point[0]) - abs(Double(t) - 2.5) * 6.0.squareRoot()) < 1e-4)
        }
    }

    @Test func identicalPointsHaveNoVariance() throws {
        let pca = try PrincipalComponents(points: [[1, 2], [1, 2], [1, 2]])
        #expect(pca.explainedVarianceRatio.allSatisfy { $0 == 0 })
        #expect(pca.coordinates.allSatisfy { $0 == [0, 0] })
    }

    @Test func oneDimensionalPointsArePaddedToTwoCoordinates() throws {
        let pca = try PrincipalComponents(points: [[1], [2], [4]])
        #expect(pca.coordinates.allSatisfy { $0.count == 2 && $0[1] == 0 })
        #expect(pca.explainedVarianceRatio.count == 1)
    }

    @Test func badInputIsRefused() {
        #expect(throws: ProjectionError.tooFewPoints(count: 1, minimum: 2, method: "PCA")) {
            try PrincipalComponents(points: [[1, 2]])
        }
        #expect(throws: ProjectionError.inconsistentDimensions(expected: 2, found: 3, row: 1)) {
            try PrincipalComponents(points: [[1, 2], [1, 2, 3]])
        }
        #expect(throws: ProjectionError.nonFinite(row: 0)) {
            try PrincipalComponents(points: [[.nan, 2], [1, 2]])
        }
        #expect(throws: ProjectionError.self) { try PrincipalComponents(points: [[1, 2], [3, 4]], components: 0) }
    }
}

/// Three Gaussian clusters of 15 points in 10-D, centres 10 apart, spread 0.5.
private func threeClusters(seed: UInt64) -> (points: [[Double]], labels: [Int]) {
    var random = SplitMix64(seed: seed)
    var points: [[Double]] = []
    var labels: [Int] = []
    for cluster in 0..<3 {
        for _ in 0..<15 {
            points.append((0..<10).map { j in (j == cluster ? 10 : 0) + Double(random.nextNormal(mean: 0, standardDeviation: 0.5)) })
            labels.append(cluster)
        }
    }
    return (points, labels)
}

@Suite struct StochasticNeighborEmbeddingTests {
    static let quick = TSNEConfiguration(perplexity: 10, iterations: 400, seed: 7)

    @Test func separatesClusters() throws {
        let (points, labels) = threeClusters(seed: 3)
        let layout = try StochasticNeighborEmbedding(points: points, configuration: Self.quick)
        let y = layout.coordinates
        func distance(_ a: Int, _ b: Int) -> Double { hypot(y[a][0] - y[b][0], y[a][1] - y[b][1]) }
        // Every point's nearest neighbour in the layout is in its own cluster.
        for i in y.indices {
            let nearest = y.indices.filter { $0 != i }.min { distance(i, $0) < distance(i, $1) }!
            #expect(labels[nearest] == labels[i], "point \(i)")
        }
        // And clusters are far apart compared with their own size.
        var within: [Double] = [], between: [Double] = []
        for i in y.indices { for j in y.indices where j > i { (labels[i] == labels[j] ? { within.append(distance(i, j)) } : { between.append(distance(i, j)) })() } }
        let meanWithin = within.reduce(0, +) / Double(within.count)
        let minBetween = between.min()!
        #expect(minBetween > meanWithin, "closest pair across clusters \(minBetween), mean within \(meanWithin)")
        #expect(layout.divergence.isFinite && layout.divergence >= 0)
    }

    @Test func seededRunsAreReproducible() throws {
        let (points, _) = threeClusters(seed: 5)
        let a = try StochasticNeighborEmbedding(points: points, configuration: Self.quick)
        let b = try StochasticNeighborEmbedding(points: points, configuration: Self.quick)
        #expect(a == b)
        var other = Self.quick
        other.seed = 8
        let c = try StochasticNeighborEmbedding(points: points, configuration: other)
        #expect(c.coordinates != a.coordinates)
    }

    @Test func perplexityIsLoweredForSmallSets() throws {
        let layout = try StochasticNeighborEmbedding(points: [[0, 0], [1, 0], [0, 1], [5, 5]],
                                                     configuration: TSNEConfiguration(iterations: 50))
        #expect(layout.perplexity == 1)
        #expect(layout.coordinates.count == 4)
    }

    @Test func conditionalProbabilitiesHitThePerplexity() {
        let (points, _) = threeClusters(seed: 9)
        let n = points.count
        var distances = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { distances[i * n + j] = zip(points[i], points[j]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } } }
        let p = StochasticNeighborEmbedding.conditionalProbabilities(distances, n: n, perplexity: 8)
        for i in 0..<n {
            let row = (0..<n).map { p[i * n + $0] }
            #expect(abs(row.reduce(0, +) - 1) < 1e-9)
            let entropy = -row.filter { $0 > 0 }.reduce(0) { $0 + $1 * log($1) }
            #expect(abs(exp(entropy) - 8) < 0.01, "row \(i): perplexity \(exp(entropy))")
        }
    }

    @Test func badInputIsRefused() {
        #expect(throws: ProjectionError.tooFewPoints(count: 2, minimum: 3, method: "t-SNE")) {
            try StochasticNeighborEmbedding(points: [[1], [2]])
        }
        let many = [[Double]](repeating: [0], count: StochasticNeighborEmbedding.maximumPoints + 1)
        #expect(throws: ProjectionError.tooManyPoints(count: many.count, maximum: StochasticNeighborEmbedding.maximumPoints, method: "t-SNE")) {
            try StochasticNeighborEmbedding(points: many)
        }
        #expect(throws: ProjectionError.self) {
            try StochasticNeighborEmbedding(points: [[1], [2], [3]], configuration: TSNEConfiguration(perplexity: -1))
        }
        #expect(throws: ProjectionError.nonFinite(row: 2)) {
            try StochasticNeighborEmbedding(points: [[1], [2], [.infinity]])
        }
    }
}
