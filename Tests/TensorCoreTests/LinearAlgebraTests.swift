import Testing
@testable import TensorCore

/// `Q diag(values) Pᵀ` with random orthonormal Q, P: a matrix with a known spectrum.
func matrixWithSpectrum(rows m: Int, columns n: Int, singularValues: [Float], seed: UInt64) throws -> Tensor {
    var rng = SplitMix64(seed: seed)
    let k = singularValues.count
    let q = try LinearAlgebra.qr(Tensor.randomNormal(shape: [m, k], using: &rng)).q
    let p = try LinearAlgebra.qr(Tensor.randomNormal(shape: [n, k], using: &rng)).q
    var scaled = q
    for i in 0..<m { for j in 0..<k { scaled[i, j] *= singularValues[j] } }
    return Tensor.matmul(scaled, p, transposeRight: true)
}

func identity(_ n: Int) -> Tensor {
    var t = Tensor(shape: [n, n])
    for i in 0..<n { t[i, i] = 1 }
    return t
}

@Suite("LAPACK decompositions")
struct LinearAlgebraTests {
    @Test(arguments: [(6, 4), (4, 6), (30, 30), (50, 12)])
    func svdReconstructsAndIsOrthogonal(_ size: (Int, Int)) throws {
        var rng = SplitMix64(seed: 3)
        let a = Tensor.randomNormal(shape: [size.0, size.1], using: &rng)
        let svd = try LinearAlgebra.svd(a)
        let k = min(size.0, size.1)
        #expect(svd.u.shape == [size.0, k] && svd.vt.shape == [k, size.1] && svd.singularValues.count == k)
        #expect(zip(svd.singularValues, svd.singularValues.dropFirst()).allSatisfy { $0 >= $1 }, "descending")
        var us = svd.u
        for i in 0..<size.0 { for j in 0..<k { us[i, j] *= svd.singularValues[j] } }
        let reconstructed = Tensor.matmul(us, svd.vt)
        #expect(reconstructed.maxAbsoluteDifference(to: a) < 1e-4)
        let utu = Tensor.matmul(svd.u, svd.u, transposeLeft: true)
        #expect(utu.maxAbsoluteDifference(to: identity(k)) < 1e-4)
        let vvt = Tensor.matmul(svd.vt, svd.vt, transposeRight: true)
        #expect(vvt.maxAbsoluteDifference(to: identity(k)) < 1e-4)
    }

    @Test func svdRecoversAKnownSpectrum() throws {
        let spectrum: [Float] = [10, 5, 2, 1, 0.5]
        let a = try matrixWithSpectrum(rows: 40, columns: 25, singularValues: spectrum, seed: 11)
        let s = try LinearAlgebra.svd(a).singularValues
        for (i, value) in spectrum.enumerated() { #expect(abs(s[i] - value) < 1e-4) }
        #expect(s[5...].allSatisfy { abs($0) < 1e-4 })
    }

    @Test func qrIsOrthonormalAndUpperTriangular() throws {
        var rng = SplitMix64(seed: 5)
        let a = Tensor.randomNormal(shape: [20, 7], using: &rng)
        let qr = try LinearAlgebra.qr(a)
        #expect(qr.q.shape == [20, 7] && qr.r.shape == [7, 7])
        #expect(Tensor.matmul(qr.q, qr.r).maxAbsoluteDifference(to: a) < 1e-4)
        #expect(Tensor.matmul(qr.q, qr.q, transposeLeft: true).maxAbsoluteDifference(to: identity(7)) < 1e-5)
        for i in 0..<7 { for j in 0..<i { #expect(qr.r[i, j] == 0) } }
    }

    @Test func symmetricEigenSatisfiesDefinition() throws {
        var rng = SplitMix64(seed: 9)
        let b = Tensor.randomNormal(shape: [8, 8], using: &rng)
        let a = Tensor.matmul(b, b, transposeRight: true)  // symmetric positive semi-definite
        let eig = try LinearAlgebra.symmetricEigen(a)
        #expect(zip(eig.values, eig.values.dropFirst()).allSatisfy { $0 <= $1 }, "ascending")
        for j in 0..<8 {
            let v = (0..<8).map { eig.vectors[$0, j] }
            let av = a.matvec(v)
            for i in 0..<8 { #expect(abs(av[i] - eig.values[j] * v[i]) < 1e-3) }
        }
    }

    @Test func nonFiniteInputIsATypedError() {
        let a = Tensor([[1, .nan], [0, 1]])
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "sgesdd")) { try LinearAlgebra.svd(a) }
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "sgeqrf")) { try LinearAlgebra.qr(a) }
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "ssyevd")) { try LinearAlgebra.symmetricEigen(a) }
        #expect(LinearAlgebraError.didNotConverge(routine: "sgesdd", info: 3).description.contains("did not converge"))
    }

    @Test func emptyMatricesDecompose() throws {
        #expect(try LinearAlgebra.svd(Tensor(shape: [0, 3])).singularValues.isEmpty)
        #expect(try LinearAlgebra.qr(Tensor(shape: [3, 0])).q.shape == [3, 0])
    }
}

@Suite("Seeded random numbers")
struct RandomTests {
    @Test func splitMixMatchesTheReferenceSequence() {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(rng.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func sameSeedSameSequenceAndSplitsDiffer() {
        var a = SplitMix64(seed: 123), b = SplitMix64(seed: 123)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
        var parent = SplitMix64(seed: 1)
        var c1 = parent.split(), c2 = parent.split()
        #expect(c1.next() != c2.next())
    }

    @Test func uniformAndIndexRanges() {
        var rng = SplitMix64(seed: 2)
        for _ in 0..<10_000 {
            let f = rng.nextUnitFloat()
            #expect(f >= 0 && f < 1)
            let i = rng.nextIndex(below: 7)
            #expect(i >= 0 && i < 7)
        }
    }

    @Test func normalSamplesHaveTheRightMoments() {
        var rng = SplitMix64(seed: 77)
        let t = Tensor.randomNormal(shape: [20_000], mean: 1, standardDeviation: 2, using: &rng)
        let mean = t.mean()
        let variance = (t - mean).map { $0 * $0 }.mean()
        #expect(abs(mean - 1) < 0.05)
        #expect(abs(variance - 4) < 0.15)
    }
}
