/// Elementwise arithmetic, reductions, transposes and row gather/scatter on `Tensor`.
///
/// Binary operators require equal shapes, except that a matrix `[n, d]` may be combined with a
/// vector of `d` elements (or a `[1, d]` row), which is broadcast over the rows (the way a bias
/// is added in an Affine layer).

extension Tensor {
    @inline(__always)
    private static func combine(_ lhs: Tensor, _ rhs: Tensor, _ name: String, _ op: (Float, Float) -> Float) -> Tensor {
        if lhs.shape == rhs.shape {
            var result = lhs
            result.scalars.withUnsafeMutableBufferPointer { r in
                rhs.scalars.withUnsafeBufferPointer { b in
                    for i in 0..<r.count { r[i] = op(r[i], b[i]) }
                }
            }
            return result
        }
        let width = rhs.count
        precondition(lhs.rank == 2 && (rhs.rank == 1 || (rhs.rank == 2 && rhs.shape[0] == 1)) && lhs.shape[1] == width,
                     "Cannot \(name) tensors of shapes \(lhs.shape) and \(rhs.shape): shapes must match, or the right side must be one row as wide as the left.")
        var result = lhs
        result.scalars.withUnsafeMutableBufferPointer { r in
            rhs.scalars.withUnsafeBufferPointer { b in
                for i in 0..<r.count { r[i] = op(r[i], b[i % width]) }
            }
        }
        return result
    }

    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { combine(lhs, rhs, "add", +) }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { combine(lhs, rhs, "subtract", -) }
    /// Elementwise (Hadamard) product.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { combine(lhs, rhs, "multiply", *) }
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { combine(lhs, rhs, "divide", /) }

    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 + rhs } }
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 - rhs } }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 * rhs } }
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs * $0 } }
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 / rhs } }
    public static prefix func - (operand: Tensor) -> Tensor { operand.map { -$0 } }

    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
    public static func *= (lhs: inout Tensor, rhs: Float) { lhs.scale(by: rhs) }

    /// Applies `transform` to every element.
    public func map(_ transform: (Float) -> Float) -> Tensor {
        Tensor(shape: shape, scalars: scalars.map(transform))
    }

    /// Multiplies every element by `factor` in place.
    public mutating func scale(by factor: Float) {
        scalars.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] *= factor }
        }
    }

    /// `self += alpha * other` (BLAS saxpy semantics), shapes must match.
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        precondition(shape == other.shape, "Cannot add a tensor of shape \(other.shape) to one of shape \(shape).")
        scalars.withUnsafeMutableBufferPointer { p in
            other.scalars.withUnsafeBufferPointer { q in
                for i in 0..<p.count { p[i] += alpha * q[i] }
            }
        }
    }

    /// Sets every element to `value`.
    public mutating func fill(_ value: Float) {
        scalars.withUnsafeMutableBufferPointer { p in p.update(repeating: value) }
    }

    /// The sum of all elements, accumulated in Double.
    public func sum() -> Float {
        var total = 0.0
        for x in scalars { total += Double(x) }
        return Float(total)
    }

    /// The mean of all elements.
    public func mean() -> Float { count == 0 ? 0 : sum() / Float(count) }

    /// Sums a matrix along `axis`: axis 0 gives a `[columns]` vector (column sums), axis 1 a
    /// `[rows]` vector (row sums).
    public func sum(alongAxis axis: Int) -> Tensor {
        precondition(rank == 2, "sum(alongAxis:) needs a matrix; this tensor has shape \(shape).")
        precondition(axis == 0 || axis == 1, "A matrix has axes 0 and 1; axis \(axis) does not exist.")
        let (n, d) = (shape[0], shape[1])
        var out = [Float](repeating: 0, count: axis == 0 ? d : n)
        scalars.withUnsafeBufferPointer { p in
            for i in 0..<n {
                var rowSum: Float = 0
                for j in 0..<d {
                    let x = p[i * d + j]
                    if axis == 0 { out[j] += x } else { rowSum += x }
                }
                if axis == 1 { out[i] = rowSum }
            }
        }
        return Tensor(vector: out)
    }

    /// The index of the largest element of each row of a matrix.
    public func argmaxRows() -> [Int] {
        precondition(rank == 2, "argmaxRows() needs a matrix; this tensor has shape \(shape).")
        let d = shape[1]
        return (0..<shape[0]).map { i in
            var best = 0
            for j in 1..<max(d, 1) where scalars[i * d + j] > scalars[i * d + best] { best = j }
            return best
        }
    }

    /// The transpose of a matrix.
    public var transposed: Tensor {
        precondition(rank == 2, "Only matrices can be transposed; this tensor has shape \(shape).")
        let (n, d) = (shape[0], shape[1])
        var out = Tensor(shape: [d, n])
        scalars.withUnsafeBufferPointer { src in
            out.scalars.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n { for j in 0..<d { dst[j * n + i] = src[i * d + j] } }
            }
        }
        return out
    }

    /// The rows `ids` of a matrix, stacked into an `[ids.count, columns]` matrix.
    public func gatherRows(_ ids: [Int]) -> Tensor {
        precondition(rank == 2, "gatherRows needs a matrix; this tensor has shape \(shape).")
        let (n, d) = (shape[0], shape[1])
        var out = Tensor(shape: [ids.count, d])
        scalars.withUnsafeBufferPointer { src in
            out.scalars.withUnsafeMutableBufferPointer { dst in
                for (k, id) in ids.enumerated() {
                    precondition(id >= 0 && id < n, "Row id \(id) is out of range for a matrix with \(n) rows.")
                    for j in 0..<d { dst[k * d + j] = src[id * d + j] }
                }
            }
        }
        return out
    }

    /// Adds row `k` of `rows` into row `ids[k]` of this matrix, for every k (repeated ids
    /// accumulate). The inverse of `gatherRows` for gradients.
    public mutating func scatterAddRows(_ ids: [Int], _ rows: Tensor) {
        precondition(rank == 2 && rows.rank == 2, "scatterAddRows needs matrices; got \(shape) and \(rows.shape).")
        precondition(rows.shape[0] == ids.count && rows.shape[1] == shape[1],
                     "scatterAddRows needs a [\(ids.count), \(shape[1])] matrix of rows; got \(rows.shape).")
        let (n, d) = (shape[0], shape[1])
        scalars.withUnsafeMutableBufferPointer { dst in
            rows.scalars.withUnsafeBufferPointer { src in
                for (k, id) in ids.enumerated() {
                    precondition(id >= 0 && id < n, "Row id \(id) is out of range for a matrix with \(n) rows.")
                    for j in 0..<d { dst[id * d + j] += src[k * d + j] }
                }
            }
        }
    }

    /// Scales each row to unit Euclidean length; all-zero rows stay zero.
    public func rowNormalized() -> Tensor {
        precondition(rank == 2, "rowNormalized needs a matrix; this tensor has shape \(shape).")
        var out = self
        let d = shape[1]
        out.scalars.withUnsafeMutableBufferPointer { p in
            for i in 0..<shape[0] {
                var norm: Float = 0
                for j in 0..<d { norm += p[i * d + j] * p[i * d + j] }
                norm = norm.squareRoot()
                if norm > 0 { for j in 0..<d { p[i * d + j] /= norm } }
            }
        }
        return out
    }

    /// The largest absolute elementwise difference to `other` (same shape).
    public func maxAbsoluteDifference(to other: Tensor) -> Float {
        precondition(shape == other.shape, "Cannot compare tensors of shapes \(shape) and \(other.shape).")
        var worst: Float = 0
        for i in scalars.indices { worst = max(worst, abs(scalars[i] - other.scalars[i])) }
        return worst
    }

    /// Whether every element is within `tolerance` of `other`'s.
    public func isApproximatelyEqual(to other: Tensor, tolerance: Float = 1e-5) -> Bool {
        shape == other.shape && maxAbsoluteDifference(to: other) <= tolerance
    }
}
