import TensorCore

/// A truncated singular value decomposition `A ≈ U diag(S) Vᵀ` of an `m x n` matrix: `u` is
/// `[m, k]` with orthonormal columns, `singularValues` has `k` values in descending order,
/// `vt` is `[k, n]` with orthonormal rows.
public typealias TruncatedSVD = SingularValueDecomposition

/// Randomized truncated SVD of a sparse matrix (Halko, Martinsson & Tropp 2011, "Finding
/// Structure with Randomness", algorithms 4.4 and 5.1).
///
/// For an `m x n` matrix `A` and target rank `k`, with `l = min(k + oversampling, m, n)`:
///
///     Ω ~ N(0, 1)^(n x l);  Q = orth(A Ω)                              Q: [m, l]
///     repeat powerIterations times:  Q = orth(A orth(Aᵀ Q))            (re-orthonormalised by QR)
///     Bᵀ = Aᵀ Q  [n, l];  Bᵀ = Ũ Σ Wᵀ  (dense sgesdd)  =>  B = W Σ Ũᵀ
///     A ≈ (Q W) Σ Ũᵀ,   U = (Q W)[:, :k],  S = Σ[:k],  Vᵀ = Ũᵀ[:k, :]
///
/// `A` is only touched through sparse-times-dense products (``SparseMatrix/multiplied(by:threads:)``
/// with `A` and its CSR transpose), so the cost is `O(nnz(A) * l * (2 * powerIterations + 2))`
/// plus QR and SVD of `[m, l]` and `[n, l]` blocks, and memory is a few `[max(m, n), l]` blocks.
/// Each power iteration sharpens the spectrum's decay: the error of the approximation falls
/// like `(σ_{k+1} / σ_k)^(2q + 1)`.
public struct RandomizedSVD: Sendable, Equatable {
    /// The number `k` of singular triplets wanted.
    public var rank: Int
    /// Extra sketch columns `p` beyond `k` (10 is usually plenty).
    public var oversampling: Int
    /// Subspace (power) iterations `q`.
    public var powerIterations: Int
    /// Seed of the Gaussian sketch.
    public var seed: UInt64
    /// Threads for the sparse products (OpenBLAS uses its own thread count for QR and SVD).
    public var threads: Int

    public init(rank: Int, oversampling: Int = 10, powerIterations: Int = 2, seed: UInt64 = 1, threads: Int = 1) {
        self.rank = rank
        self.oversampling = oversampling
        self.powerIterations = powerIterations
        self.seed = seed
        self.threads = threads
    }

    /// The top-`rank` singular triplets of `a`: `u` is `[m, k]`, `singularValues` has `k`
    /// descending values, `vt` is `[k, n]`, with `k = min(rank, m, n)`.
    /// `progress` is called after each sparse-dense product (stage `"svd"`, unit `"products"`:
    /// the 2·powerIterations + 2 products done, their rate, and the completed fraction);
    /// `cancellation` is checked after each one.
    public func decompose(_ a: SparseMatrix, progress: ((ProgressReport) -> Void)? = nil,
                          cancellation: CancellationFlag? = nil) throws(CountBasedError) -> TruncatedSVD {
        guard rank >= 1, oversampling >= 0, powerIterations >= 0 else {
            throw .invalidConfiguration(reason: "randomized SVD needs rank >= 1, oversampling >= 0 and powerIterations >= 0; got \(rank), \(oversampling), \(powerIterations)")
        }
        let (m, n) = (a.rows, a.columns)
        let k = min(rank, m, n)
        let l = min(k + oversampling, m, n)
        if k == 0 {
            return TruncatedSVD(u: Tensor(shape: [m, 0]), singularValues: [], vt: Tensor(shape: [0, n]))
        }
        let at = a.transposed()
        let steps = 2 * powerIterations + 2
        var done = 0
        let start = monotonicSeconds()
        func step() throws(CountBasedError) {
            done += 1
            if let progress {
                let elapsed = monotonicSeconds() - start
                progress(ProgressReport(stage: "svd", fraction: Double(done) / Double(steps), processedWords: done,
                                        wordsPerSecond: elapsed > 0 ? Double(done) / elapsed : 0,
                                        elapsedSeconds: elapsed, unit: "products"))
            }
            if cancellation?.isCancelled == true { throw .cancelled }
        }
        do {
            var rng = SplitMix64(seed: seed)
            // Standard normal sketch by Box-Muller on SplitMix64's 53-bit uniforms.
            var omega = Tensor(shape: [n, l])
            var index = 0
            while index < omega.count {
                let u1 = max(rng.nextUnitDouble(), .leastNonzeroMagnitude)
                let u2 = rng.nextUnitDouble()
                let radius = (-2 * Double.log(u1)).squareRoot()
                omega.scalars[index] = Float(radius * Double.cos(2 * .pi * u2))
                if index + 1 < omega.count { omega.scalars[index + 1] = Float(radius * Double.sin(2 * .pi * u2)) }
                index += 2
            }
            var q = try LinearAlgebra.orthonormalBasis(a.multiplied(by: omega, threads: threads))
            try step()
            for _ in 0..<powerIterations {
                let z = try LinearAlgebra.orthonormalBasis(at.multiplied(by: q, threads: threads))
                try step()
                q = try LinearAlgebra.orthonormalBasis(a.multiplied(by: z, threads: threads))
                try step()
            }
            let bt = at.multiplied(by: q, threads: threads)               // [n, l] = (Qᵀ A)ᵀ
            let small = try LinearAlgebra.svd(bt)                          // Bᵀ = Ũ Σ Wᵀ
            let u = Tensor.matmul(q, small.vt, transposeRight: true)       // Q W: [m, l]
            try step()
            // Keep the top k.
            var uk = Tensor(shape: [m, k])
            for i in 0..<m {
                for j in 0..<k { uk.scalars[i * k + j] = u.scalars[i * l + j] }
            }
            var vtk = Tensor(shape: [k, n])
            for j in 0..<k {
                for i in 0..<n { vtk.scalars[j * n + i] = small.u.scalars[i * l + j] }
            }
            return TruncatedSVD(u: uk, singularValues: Array(small.singularValues.prefix(k)), vt: vtk)
        } catch let error as CountBasedError {
            throw error
        } catch let error as LinearAlgebraError {
            throw .linearAlgebra(error)
        } catch {
            throw .linearAlgebra(.nonFiniteInput(routine: "randomized SVD"))
        }
    }
}
