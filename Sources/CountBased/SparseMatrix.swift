import TensorCore

/// A sparse `rows x columns` matrix of Float32 values in compressed sparse row (CSR) form.
///
/// Row `i`'s nonzero entries are `values[rowOffsets[i]..<rowOffsets[i + 1]]` in the columns
/// `columnIndices[...]` of the same range, strictly increasing within a row. Memory is
/// `8 * nonzeroCount + 8 * (rows + 1)` bytes, so a 50,000-word co-occurrence matrix with tens of
/// millions of nonzeros fits in a few hundred MB where the dense matrix would need 10 GB.
/// Explicitly stored zeros are allowed but never produced by w2v's builders.
public struct SparseMatrix: Sendable, Equatable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// `rows + 1` offsets into ``columnIndices`` and ``values``; `rowOffsets[0] == 0`.
    public let rowOffsets: [Int]
    /// The column of each stored entry.
    public let columnIndices: [Int32]
    /// The value of each stored entry.
    public var values: [Float]

    /// A matrix from CSR arrays. Stops with a precondition naming the problem when the arrays are
    /// inconsistent (wrong lengths, decreasing offsets, columns out of range or unsorted).
    public init(rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && columns <= Int(Int32.max),
                     "A sparse matrix needs 0 <= columns <= \(Int32.max) and rows >= 0; got \(rows) x \(columns).")
        precondition(rowOffsets.count == rows + 1, "A CSR matrix with \(rows) rows needs \(rows + 1) row offsets; got \(rowOffsets.count).")
        precondition(rowOffsets.first == 0 && rowOffsets.last == columnIndices.count,
                     "CSR row offsets must start at 0 and end at the number of entries (\(columnIndices.count)).")
        precondition(columnIndices.count == values.count,
                     "A CSR matrix needs one value per column index; got \(columnIndices.count) indices and \(values.count) values.")
        for r in 0..<rows {
            let start = rowOffsets[r], end = rowOffsets[r + 1]
            precondition(start <= end, "CSR row offsets must not decrease (row \(r)).")
            var previous: Int32 = -1
            for k in start..<end {
                let c = columnIndices[k]
                precondition(c > previous && Int(c) < columns,
                             "Row \(r) of a CSR matrix has column \(c) out of order or outside 0..<\(columns).")
                previous = c
            }
        }
        self.rows = rows
        self.columns = columns
        self.rowOffsets = rowOffsets
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Internal initialiser for builders that produce valid CSR by construction.
    init(validRows rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Float]) {
        self.rows = rows
        self.columns = columns
        self.rowOffsets = rowOffsets
        self.columnIndices = columnIndices
        self.values = values
    }

    /// The nonzero entries of a dense matrix.
    public init(dense: Tensor) {
        precondition(dense.rank == 2, "A sparse matrix is made from a dense matrix; got shape \(dense.shape).")
        let (m, n) = (dense.shape[0], dense.shape[1])
        var offsets = [0]
        var indices: [Int32] = []
        var values: [Float] = []
        offsets.reserveCapacity(m + 1)
        for i in 0..<m {
            for j in 0..<n where dense.scalars[i * n + j] != 0 {
                indices.append(Int32(j))
                values.append(dense.scalars[i * n + j])
            }
            offsets.append(indices.count)
        }
        self.init(validRows: m, columns: n, rowOffsets: offsets, columnIndices: indices, values: values)
    }

    /// The number of stored entries.
    public var nonzeroCount: Int { values.count }

    /// Element `(row, column)` (0 where nothing is stored); O(log(entries in the row)).
    public subscript(row: Int, column: Int) -> Float {
        precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                     "Index (\(row), \(column)) is outside a \(rows) x \(columns) sparse matrix.")
        var low = rowOffsets[row], high = rowOffsets[row + 1]
        let target = Int32(column)
        while low < high {
            let mid = (low + high) / 2
            if columnIndices[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low < rowOffsets[row + 1] && columnIndices[low] == target ? values[low] : 0
    }

    /// The dense `[rows, columns]` matrix (only for small matrices).
    public func dense() -> Tensor {
        var out = Tensor(shape: [rows, columns])
        for i in 0..<rows {
            for k in rowOffsets[i]..<rowOffsets[i + 1] { out.scalars[i * columns + Int(columnIndices[k])] = values[k] }
        }
        return out
    }

    /// The sum of each row, accumulated in Double.
    public func rowSums() -> [Double] {
        (0..<rows).map { i in
            var s = 0.0
            for k in rowOffsets[i]..<rowOffsets[i + 1] { s += Double(values[k]) }
            return s
        }
    }

    /// The sum of each column, accumulated in Double.
    public func columnSums() -> [Double] {
        var sums = [Double](repeating: 0, count: columns)
        for k in 0..<values.count { sums[Int(columnIndices[k])] += Double(values[k]) }
        return sums
    }

    /// The transpose, in CSR form (a counting sort by column, O(rows + columns + entries)).
    public func transposed() -> SparseMatrix { SparseKernels.transpose(self) }

    /// The dense product `self * b` for a dense `[columns, k]` matrix `b`: a `[rows, k]` matrix.
    /// Work `2 * nonzeroCount * k` flops, split over `threads` threads by rows.
    public func multiplied(by b: Tensor, threads: Int = 1) -> Tensor {
        precondition(b.rank == 2 && b.shape[0] == columns,
                     "Cannot multiply a \(rows) x \(columns) sparse matrix by a dense matrix of shape \(b.shape).")
        return SparseKernels.multiply(self, b, threads: threads)
    }
}
