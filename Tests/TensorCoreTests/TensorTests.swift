import Testing
@testable import TensorCore

/// A naive triple-loop product used as the reference for BLAS results.
func naiveMatmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var c = Tensor(shape: [m, n])
    for i in 0..<m {
        for j in 0..<n {
            var s: Double = 0
            for p in 0..<k { s += Double(a[i, p]) * Double(b[p, j]) }
            c[i, j] = Float(s)
        }
    }
    return c
}

@Suite("Tensor basics")
struct TensorBasicsTests {
    @Test func shapesAndIndexing() {
        let t = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(t.shape == [2, 3])
        #expect(t.rows == 2 && t.columns == 3 && t.count == 6 && t.rank == 2)
        #expect(t[1, 2] == 6)
        #expect(t.row(1) == [4, 5, 6])
        #expect(t.reshaped([3, 2]).row(2) == [5, 6])
        #expect(t.transposed == Tensor([[1, 4], [2, 5], [3, 6]]))
        var u = t
        u.setRow(0, to: [9, 9, 9])
        #expect(u.row(0) == [9, 9, 9])
        #expect(t.row(0) == [1, 2, 3], "value semantics: the copy is unchanged")
    }

    @Test func elementwiseAndBroadcast() {
        let a = Tensor([[1, 2], [3, 4]])
        let b = Tensor([[10, 20], [30, 40]])
        #expect(a + b == Tensor([[11, 22], [33, 44]]))
        #expect(b - a == Tensor([[9, 18], [27, 36]]))
        #expect(a * b == Tensor([[10, 40], [90, 160]]))
        #expect(b / a == Tensor([[10, 10], [10, 10]]))
        #expect(a + Tensor(vector: [100, 200]) == Tensor([[101, 202], [103, 204]]))
        #expect(a * 2 == Tensor([[2, 4], [6, 8]]))
        #expect(-a == Tensor([[-1, -2], [-3, -4]]))
        var c = a
        c.add(b, scaledBy: 0.5)
        #expect(c == Tensor([[6, 12], [18, 24]]))
    }

    @Test func reductions() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(a.sum() == 21)
        #expect(a.mean() == 3.5)
        #expect(a.sum(alongAxis: 0) == Tensor(vector: [5, 7, 9]))
        #expect(a.sum(alongAxis: 1) == Tensor(vector: [6, 15]))
        #expect(Tensor([[1, 9, 3], [7, 2, 2]]).argmaxRows() == [1, 0])
    }

    @Test func gatherAndScatterAddWithRepeatedIds() {
        let w = Tensor([[0, 1], [2, 3], [4, 5]])
        let g = w.gatherRows([2, 0, 2])
        #expect(g == Tensor([[4, 5], [0, 1], [4, 5]]))
        var acc = Tensor(shape: [3, 2])
        acc.scatterAddRows([2, 0, 2], Tensor([[1, 1], [2, 2], [3, 3]]))
        #expect(acc == Tensor([[2, 2], [0, 0], [4, 4]]), "repeated ids accumulate")
    }

    @Test func rowNormalizationKeepsZeroRows() {
        let n = Tensor([[3, 4], [0, 0]]).rowNormalized()
        #expect(n.isApproximatelyEqual(to: Tensor([[0.6, 0.8], [0, 0]])))
    }
}

@Suite("BLAS products against a naive reference")
struct BLASTests {
    struct Case: Sendable, CustomStringConvertible {
        let m, k, n: Int
        let transposeLeft, transposeRight: Bool
        var description: String { "\(m)x\(k)x\(n) tl=\(transposeLeft) tr=\(transposeRight)" }
    }

    static let cases: [Case] = [
        Case(m: 1, k: 1, n: 1, transposeLeft: false, transposeRight: false),
        Case(m: 7, k: 5, n: 3, transposeLeft: false, transposeRight: false),
        Case(m: 33, k: 65, n: 17, transposeLeft: true, transposeRight: false),
        Case(m: 64, k: 48, n: 80, transposeLeft: false, transposeRight: true),
        Case(m: 96, k: 128, n: 72, transposeLeft: true, transposeRight: true),
    ]

    @Test(arguments: cases)
    func sgemmMatchesNaive(_ c: Case) {
        var rng = SplitMix64(seed: 42)
        let a = Tensor.randomUniform(shape: c.transposeLeft ? [c.k, c.m] : [c.m, c.k], in: -1...1, using: &rng)
        let b = Tensor.randomUniform(shape: c.transposeRight ? [c.n, c.k] : [c.k, c.n], in: -1...1, using: &rng)
        let fast = Tensor.matmul(a, b, transposeLeft: c.transposeLeft, transposeRight: c.transposeRight)
        let reference = naiveMatmul(c.transposeLeft ? a.transposed : a, c.transposeRight ? b.transposed : b)
        #expect(fast.shape == [c.m, c.n])
        #expect(fast.maxAbsoluteDifference(to: reference) < 1e-4 * Float(c.k), "OpenBLAS core \(OpenBLAS.coreName)")
    }

    @Test(arguments: [false, true])
    func sgemvMatchesNaive(transposed: Bool) {
        var rng = SplitMix64(seed: 7)
        let a = Tensor.randomUniform(shape: [37, 23], in: -1...1, using: &rng)
        let x = (0..<(transposed ? 37 : 23)).map { _ in Float.random(in: -1...1, using: &rng) }
        let y = a.matvec(x, transposed: transposed)
        let reference = naiveMatmul(transposed ? a.transposed : a, Tensor(shape: [x.count, 1], scalars: x))
        #expect(Tensor(vector: y).isApproximatelyEqual(to: reference.reshaped([y.count]), tolerance: 1e-4))
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let c = Tensor.matmul(Tensor(shape: [3, 0]), Tensor(shape: [0, 2]))
        #expect(c == Tensor(shape: [3, 2]))
    }

    @Test func coreNameIsReported() {
        #expect(!OpenBLAS.coreName.isEmpty)
        #expect(OpenBLAS.threadCount >= 1)
    }

    @Test func recommendedCoreFollowsCPUFlags() {
        #expect(OpenBLAS.recommendedCoreType(cpuFlags: ["avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]) == "SkylakeX")
        #expect(OpenBLAS.recommendedCoreType(cpuFlags: ["avx2", "fma", "avx512f"]) == "Haswell")
        #expect(OpenBLAS.recommendedCoreType(cpuFlags: ["avx2", "fma"]) == "Haswell")
        #expect(OpenBLAS.recommendedCoreType(cpuFlags: ["sse2", "avx"]) == nil)
        let flags = OpenBLAS.cpuFlags(cpuinfo: "processor\t: 0\nflags\t\t: fpu sse2 avx2 fma\nbugs\t: none\n")
        #expect(flags == ["fpu", "sse2", "avx2", "fma"])
        #expect(OpenBLAS.cpuFlags(cpuinfo: "") == [])
    }
}
