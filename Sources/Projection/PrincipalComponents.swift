import TensorCore

/// Principal component analysis of a set of points: their projection onto the directions of
/// largest variance.
///
/// For `n` points of dimension `d` stacked as the rows of `X` (`[n, d]`), with column means `μ`,
/// the centred matrix `Xc = X - 1μᵀ` has the thin SVD `Xc = U S Vᵀ` (``TensorCore/LinearAlgebra/svd(_:)``).
/// The principal directions are the rows of `Vᵀ`, the coordinates of point `i` on component `k`
/// are `U[i, k] S[k]` (= `Xc Vᵀ[k]ᵀ`), and the share of variance that component `k` explains is
/// `S[k]² / Σⱼ S[j]²`. Each direction's sign is fixed so that its largest-magnitude entry is
/// positive, making the result independent of LAPACK's sign choice.
public struct PrincipalComponents: Sendable, Equatable {
    /// `coordinates[i]` is point `i` on the first `components` principal components.
    public var coordinates: [[Double]]
    /// The fraction of the total variance each returned component explains (descending, sums to
    /// at most 1). All zeros when the points coincide.
    public var explainedVarianceRatio: [Double]
    /// The principal directions, one `d`-vector per returned component.
    public var directions: [[Double]]

    /// Projects `points` (each of the same dimension `d`) onto their first `components`
    /// principal components (`1...min(n, d)`; fewer are returned when `n` or `d` is smaller,
    /// padded with zero coordinates so every point has `components` values).
    public init(points: [[Double]], components: Int = 2) throws(ProjectionError) {
        guard components >= 1 else {
            throw .invalidParameter(name: "number of components", value: Double(components), allowed: "at least 1")
        }
        guard points.count >= 2 else { throw .tooFewPoints(count: points.count, minimum: 2, method: "PCA") }
        let dimension = try checkedDimension(points)
        let n = points.count
        var mean = [Double](repeating: 0, count: dimension)
        for point in points { for j in 0..<dimension { mean[j] += point[j] } }
        for j in 0..<dimension { mean[j] /= Double(n) }
        var centred = Tensor(shape: [n, dimension])
        for i in 0..<n { for j in 0..<dimension { centred[i, j] = Float(points[i][j] - mean[j]) } }

        let svd: SingularValueDecomposition
        do { svd = try LinearAlgebra.svd(centred) } catch { throw .decompositionFailed(reason: "\(error)") }
        let available = svd.singularValues.count
        let kept = min(components, available)
        let total = svd.singularValues.reduce(0.0) { $0 + Double($1) * Double($1) }

        var coordinates = [[Double]](repeating: [Double](repeating: 0, count: components), count: n)
        var ratios: [Double] = []
        var directions: [[Double]] = []
        for k in 0..<kept {
            var direction = (0..<dimension).map { Double(svd.vt[k, $0]) }
            let largest = direction.indices.max { abs(direction[$0]) < abs(direction[$1]) } ?? 0
            let sign: Double = direction[largest] < 0 ? -1 : 1
            direction = direction.map { $0 * sign }
            // Coordinates from the centred points themselves (exact even for tiny singular values).
            for i in 0..<n {
                var dot = 0.0
                for j in 0..<dimension { dot += Double(centred[i, j]) * direction[j] }
                coordinates[i][k] = dot
            }
            let s = Double(svd.singularValues[k])
            ratios.append(total > 0 ? s * s / total : 0)
            directions.append(direction)
        }
        self.coordinates = coordinates
        self.explainedVarianceRatio = ratios
        self.directions = directions
    }
}
