import Foundation
import Testing
import CountBased
import TensorCore

/// A `[m, n]` matrix `Q1 diag(spectrum) Q2ᵀ` with random orthonormal `Q1`, `Q2`.
func matrixWithSpectrum(_ spectrum: [Float], rows m: Int, columns n: Int, seed: UInt64) throws -> Tensor {
    var rng = SplitMix64(seed: seed)
    let r = spectrum.count
    let q1 = try LinearAlgebra.orthonormalBasis(Tensor.randomNormal(shape: [m, r], using: &rng))
    let q2 = try LinearAlgebra.orthonormalBasis(Tensor.randomNormal(shape: [n, r], using: &rng))
    var scaled = q1
    for i in 0..<m { for j in 0..<r { scaled[i, j] *= spectrum[j] } }
    return Tensor.matmul(scaled, q2, transposeRight: true)
}

@Suite("Randomized SVD")
struct RandomizedSVDTests {
    @Test("top singular values match the dense SVD on a matrix with a known, decaying spectrum",
          arguments: [0, 2])
    func knownSpectrum(powerIterations: Int) throws {
        let spectrum = (0..<40).map { Float(100 * pow(0.8, Double($0))) }
        let a = try matrixWithSpectrum(spectrum, rows: 150, columns: 120, seed: 3)
        let dense = try LinearAlgebra.svd(a)
        for i in 0..<10 { #expect(abs(dense.singularValues[i] - spectrum[i]) / spectrum[i] < 1e-3) }
        let svd = try RandomizedSVD(rank: 10, oversampling: 10, powerIterations: powerIterations, seed: 7, threads: 2)
            .decompose(SparseMatrix(dense: a))
        #expect(svd.u.shape == [150, 10] && svd.vt.shape == [10, 120] && svd.singularValues.count == 10)
        // Without power iterations the sketch is cruder (error ~ sigma_{k+p+1}); with 2 it is tight.
        let tolerance: Float = powerIterations == 0 ? 2e-2 : 1e-3
        for i in 0..<10 {
            #expect(abs(svd.singularValues[i] - dense.singularValues[i]) / dense.singularValues[i] < tolerance, "sigma_\(i)")
        }
        // Orthonormal columns of U and rows of Vᵀ.
        let utu = Tensor.matmul(svd.u, svd.u, transposeLeft: true)
        let vvt = Tensor.matmul(svd.vt, svd.vt, transposeRight: true)
        for i in 0..<10 {
            for j in 0..<10 {
                #expect(abs(utu[i, j] - (i == j ? 1 : 0)) < 1e-3)
                #expect(abs(vvt[i, j] - (i == j ? 1 : 0)) < 1e-3)
            }
        }
    }

    @Test("an exactly low-rank matrix is recovered exactly, and the result is seeded")
    func exactLowRank() throws {
        let a = try matrixWithSpectrum([9, 5, 3, 2, 1], rows: 60, columns: 50, seed: 4)
        let sparse = SparseMatrix(dense: a)
        let method = RandomizedSVD(rank: 5, oversampling: 5, powerIterations: 1, seed: 1)
        let svd = try method.decompose(sparse)
        var us = svd.u
        for i in 0..<60 { for j in 0..<5 { us[i, j] *= svd.singularValues[j] } }
        let reconstructed = Tensor.matmul(us, svd.vt)
        for k in 0..<a.count { #expect(abs(reconstructed.scalars[k] - a.scalars[k]) < 1e-4) }
        #expect(try method.decompose(sparse) == svd)
    }

    @Test("rank is capped by the matrix size; bad parameters are invalidConfiguration")
    func limits() throws {
        let a = SparseMatrix(dense: Tensor([[1, 0, 0], [0, 2, 0]]))
        let svd = try RandomizedSVD(rank: 5).decompose(a)
        #expect(svd.singularValues.count == 2)
        #expect(abs(svd.singularValues[0] - 2) < 1e-5 && abs(svd.singularValues[1] - 1) < 1e-5)
        #expect(throws: CountBasedError.self) { try RandomizedSVD(rank: 0).decompose(a) }
        #expect(throws: CountBasedError.self) { try RandomizedSVD(rank: 1, oversampling: -1).decompose(a) }
    }

    @Test("progress is reported and cancellation stops the iterations")
    func progressAndCancel() throws {
        let a = SparseMatrix(dense: try matrixWithSpectrum([3, 2, 1], rows: 20, columns: 20, seed: 2))
        var fractions: [Double] = []
        _ = try RandomizedSVD(rank: 2, powerIterations: 2).decompose(a, progress: { fractions.append($0.fraction) })
        let expected: [Double] = (1...6).map { Double($0) / 6 }
        #expect(fractions == expected)
        #expect(throws: CountBasedError.cancelled) {
            try RandomizedSVD(rank: 2).decompose(a, cancellation: { let flag = CancellationFlag(); flag.cancel(); return flag }())
        }
    }
}
