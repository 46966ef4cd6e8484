/// A dense, contiguous, row-major array of `Float` (Float32) values with a shape.
///
/// `Tensor` is a value type: copies share storage until one is mutated (copy-on-write through
/// the underlying `[Float]`). Matrices are rank-2 tensors `[rows, columns]`; vectors are rank 1.
/// Element `(i, j)` of a matrix lives at `scalars[i * columns + j]`.
///
/// Shape mismatches are programming errors and stop with a precondition whose message names
/// both shapes.
public struct Tensor: Sendable, Equatable {
    /// The extent of each axis, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float]

    /// A tensor of the given shape whose elements all equal `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "A tensor shape cannot have negative extents; got \(shape).")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor that wraps `scalars` (row-major) with the given shape.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "A tensor shape cannot have negative extents; got \(shape).")
        precondition(shape.reduce(1, *) == scalars.count,
                     "A tensor of shape \(shape) needs \(shape.reduce(1, *)) scalars, but \(scalars.count) were given.")
        self.shape = shape
        self.scalars = scalars
    }

    /// A matrix from nested rows; every row must have the same length.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "Every row of a matrix literal must have \(columns) elements.")
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// A rank-1 tensor (vector).
    public init(vector: [Float]) {
        self.init(shape: [vector.count], scalars: vector)
    }

    /// A tensor whose elements are drawn by `sample` in row-major order.
    public init(shape: [Int], generator sample: () -> Float) {
        self.init(shape: shape)
        for i in scalars.indices { scalars[i] = sample() }
    }

    /// The number of axes.
    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { scalars.count }
    /// The first axis' extent (rows of a matrix).
    public var rows: Int {
        precondition(rank >= 1, "A scalar tensor has no rows.")
        return shape[0]
    }
    /// The product of all axes after the first (columns of a matrix; 1 for a vector).
    public var columns: Int {
        precondition(rank >= 1, "A scalar tensor has no columns.")
        return rank == 1 ? 1 : shape.dropFirst().reduce(1, *)
    }

    /// Element `(row, column)` of a matrix.
    public subscript(row: Int, column: Int) -> Float {
        get {
            precondition(rank == 2, "Two-index subscripts need a matrix; this tensor has shape \(shape).")
            precondition(row >= 0 && row < shape[0] && column >= 0 && column < shape[1],
                         "Index (\(row), \(column)) is outside a matrix of shape \(shape).")
            return scalars[row * shape[1] + column]
        }
        set {
            precondition(rank == 2, "Two-index subscripts need a matrix; this tensor has shape \(shape).")
            precondition(row >= 0 && row < shape[0] && column >= 0 && column < shape[1],
                         "Index (\(row), \(column)) is outside a matrix of shape \(shape).")
            scalars[row * shape[1] + column] = newValue
        }
    }

    /// The same elements viewed with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count,
                     "Cannot reshape a tensor of shape \(shape) (\(count) elements) to \(newShape).")
        return Tensor(shape: newShape, scalars: scalars)
    }

    /// Row `index` of a matrix as a vector.
    public func row(_ index: Int) -> [Float] {
        precondition(index >= 0 && index < rows, "Row \(index) is outside a tensor with \(rows) rows.")
        let width = columns
        return Array(scalars[(index * width)..<((index + 1) * width)])
    }

    /// Replaces row `index` of a matrix.
    public mutating func setRow(_ index: Int, to values: [Float]) {
        precondition(index >= 0 && index < rows, "Row \(index) is outside a tensor with \(rows) rows.")
        precondition(values.count == columns, "A row of this tensor has \(columns) elements, but \(values.count) were given.")
        let width = columns
        scalars.replaceSubrange((index * width)..<((index + 1) * width), with: values)
    }

    /// A matrix of zeros with the same shape.
    public var zerosLike: Tensor { Tensor(shape: shape) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        if rank == 2 && count <= 400 {
            let lines = (0..<rows).map { r in row(r).map { String(format4($0)) }.joined(separator: ", ") }
            return "Tensor\(shape) [\n  " + lines.joined(separator: "\n  ") + "\n]"
        }
        let head = scalars.prefix(16).map(format4).joined(separator: ", ")
        return "Tensor\(shape) [\(head)\(count > 16 ? ", ..." : "")]"
    }
}

private func format4(_ x: Float) -> String {
    let scaled = (Double(x) * 10_000).rounded() / 10_000
    return String(scaled)
}
