import Testing
import CountBased
import TensorCore

@Suite("SparseMatrix")
struct SparseMatrixTests {
    static func randomSparse(rows: Int, columns: Int, density: Double, seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        var dense = Tensor(shape: [rows, columns])
        for k in 0..<dense.count where rng.nextUnitDouble() < density {
            dense.scalars[k] = Float(rng.nextUnitDouble() * 2 - 1)
        }
        return dense
    }

    @Test("dense round trip, element access, sums and nonzeros")
    func basics() {
        let dense = Tensor([[0, 2, 0], [0, 0, 0], [1, 0, 3]])
        let sparse = SparseMatrix(dense: dense)
        #expect(sparse.nonzeroCount == 3)
        #expect(sparse.rowOffsets == [0, 1, 1, 3])
        #expect(sparse.columnIndices == [1, 0, 2])
        #expect(sparse[2, 2] == 3)
        #expect(sparse[1, 1] == 0)
        #expect(sparse[0, 0] == 0)
        #expect(sparse.dense() == dense)
        #expect(sparse.rowSums() == [2, 0, 4])
        #expect(sparse.columnSums() == [1, 2, 3])
        #expect(sparse == SparseMatrix(rows: 3, columns: 3, rowOffsets: [0, 1, 1, 3], columnIndices: [1, 0, 2], values: [2, 1, 3]))
    }

    @Test("transpose matches the dense transpose", arguments: [(1, 1), (7, 13), (40, 3)])
    func transpose(shape: (Int, Int)) {
        let dense = Self.randomSparse(rows: shape.0, columns: shape.1, density: 0.3, seed: 5)
        let t = SparseMatrix(dense: dense).transposed()
        #expect(t.rows == shape.1 && t.columns == shape.0)
        #expect(t.dense() == dense.transposed)
    }

    @Test("sparse x dense equals the dense sgemm product, on one or several threads", arguments: [1, 2, 3])
    func multiply(threads: Int) {
        let a = Self.randomSparse(rows: 57, columns: 31, density: 0.2, seed: 11)
        var rng = SplitMix64(seed: 12)
        let b = Tensor.randomNormal(shape: [31, 9], using: &rng)
        let expected = Tensor.matmul(a, b)
        let product = SparseMatrix(dense: a).multiplied(by: b, threads: threads)
        #expect(product.shape == [57, 9])
        for k in 0..<expected.count { #expect(abs(product.scalars[k] - expected.scalars[k]) < 1e-4) }
    }

    @Test("products wider than a panel and taller than a column block match sgemm (tiled kernel)")
    func tiledMultiply() {
        let a = Self.randomSparse(rows: 40, columns: 2_100, density: 0.02, seed: 21)
        var rng = SplitMix64(seed: 22)
        let b = Tensor.randomNormal(shape: [2_100, 70], using: &rng)
        let expected = Tensor.matmul(a, b)
        let product = SparseMatrix(dense: a).multiplied(by: b, threads: 2)
        for k in 0..<expected.count { #expect(abs(product.scalars[k] - expected.scalars[k]) < 1e-3) }
    }

    @Test("an all-zero matrix multiplies to zeros")
    func zeroMatrix() {
        let sparse = SparseMatrix(dense: Tensor(shape: [4, 3]))
        #expect(sparse.nonzeroCount == 0)
        #expect(sparse.multiplied(by: Tensor(shape: [3, 2], repeating: 1), threads: 2) == Tensor(shape: [4, 2]))
        #expect(sparse.transposed().rows == 3)
    }
}
