import CoreIO
import CLAPACKE

/// A LAPACK routine reported failure.
public enum LinearAlgebraError: Error, Equatable, ExplainedError {
    /// The iteration did not converge (`info > 0`).
    case didNotConverge(routine: String, info: Int)
    /// An argument was rejected (`info < 0`): a bug in w2v, reported rather than trapped.
    case illegalArgument(routine: String, position: Int)
    /// The input held NaN or infinity, which LAPACK cannot decompose.
    case nonFiniteInput(routine: String)

    public var problem: String {
        switch self {
        case let .didNotConverge(routine, info):
            return "LAPACK's \(routine) did not converge (info = \(info)); the matrix may be badly scaled or contain extreme values."
        case let .illegalArgument(routine, position):
            return "LAPACK's \(routine) rejected argument \(position); this is a bug in w2v, please report it."
        case let .nonFiniteInput(routine):
            return "The matrix passed to LAPACK's \(routine) contains NaN or infinite values."
        }
    }
}

/// The thin singular value decomposition `A = U * diag(S) * Vᵀ` of an `m x n` matrix, with
/// `k = min(m, n)`: `U` is `[m, k]`, `S` has `k` values in descending order, `Vᵀ` is `[k, n]`.
public struct SingularValueDecomposition: Sendable, Equatable {
    public var u: Tensor
    public var singularValues: [Float]
    public var vt: Tensor

    public init(u: Tensor, singularValues: [Float], vt: Tensor) {
        self.u = u
        self.singularValues = singularValues
        self.vt = vt
    }
}

/// The thin QR decomposition `A = Q R` of an `m x n` matrix (`m >= n`): `Q` is `[m, n]` with
/// orthonormal columns, `R` is `[n, n]` upper triangular.
public struct QRDecomposition: Sendable {
    public var q: Tensor
    public var r: Tensor
}

/// The eigendecomposition `A = V diag(λ) Vᵀ` of a symmetric matrix: eigenvalues ascending,
/// eigenvectors as the columns of `vectors` (`[n, n]`).
public struct SymmetricEigendecomposition: Sendable {
    public var values: [Float]
    public var vectors: Tensor
}

/// Dense decompositions through LAPACKE (OpenBLAS's LAPACK), called column-major.
///
/// A row-major `m x n` buffer is the column-major `n x m` matrix `Aᵀ`, so the SVD calls
/// `sgesdd` on `Aᵀ = V S Uᵀ` and reads `U` and `Vᵀ` straight out of LAPACK's `Vᵀ` and `U`
/// outputs, with no transposed copies.
public enum LinearAlgebra {
    private static func check(_ info: Int32, _ routine: String) throws {
        if info > 0 { throw LinearAlgebraError.didNotConverge(routine: routine, info: Int(info)) }
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: routine, position: Int(-info)) }
    }

    /// The thin SVD of a matrix by divide and conquer (`sgesdd`). O(m n min(m, n)).
    public static func svd(_ a: Tensor) throws -> SingularValueDecomposition {
        precondition(a.rank == 2, "svd needs a matrix; got shape \(a.shape).")
        let (m, n) = (a.shape[0], a.shape[1])
        let k = min(m, n)
        if k == 0 {
            return SingularValueDecomposition(u: Tensor(shape: [m, 0]), singularValues: [], vt: Tensor(shape: [0, n]))
        }
        guard a.scalars.allSatisfy({ $0.isFinite }) else { throw LinearAlgebraError.nonFiniteInput(routine: "sgesdd") }
        var work = a.scalars                      // column-major n x m  (= Aᵀ)
        var s = [Float](repeating: 0, count: k)
        var lapackU = [Float](repeating: 0, count: n * k)   // column-major n x k  = V   -> row-major k x n = Vᵀ
        var lapackVT = [Float](repeating: 0, count: k * m)  // column-major k x m  = Uᵀ  -> row-major m x k = U
        let info = LAPACKE_sgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "S")), Int32(n), Int32(m),
                                  &work, Int32(n), &s, &lapackU, Int32(n), &lapackVT, Int32(k))
        try check(info, "sgesdd")
        return SingularValueDecomposition(u: Tensor(shape: [m, k], scalars: lapackVT),
                                          singularValues: s,
                                          vt: Tensor(shape: [k, n], scalars: lapackU))
    }

    /// The thin QR decomposition (`sgeqrf` then `sorgqr`) of an `m x n` matrix with `m >= n`.
    public static func qr(_ a: Tensor) throws -> QRDecomposition {
        precondition(a.rank == 2, "qr needs a matrix; got shape \(a.shape).")
        let (m, n) = (a.shape[0], a.shape[1])
        precondition(m >= n, "The thin QR decomposition needs at least as many rows as columns; got shape \(a.shape).")
        if n == 0 { return QRDecomposition(q: Tensor(shape: [m, 0]), r: Tensor(shape: [0, 0])) }
        guard a.scalars.allSatisfy({ $0.isFinite }) else { throw LinearAlgebraError.nonFiniteInput(routine: "sgeqrf") }
        var columnMajor = a.transposed.scalars     // column-major m x n
        var tau = [Float](repeating: 0, count: n)
        try check(LAPACKE_sgeqrf(LAPACK_COL_MAJOR, Int32(m), Int32(n), &columnMajor, Int32(m), &tau), "sgeqrf")
        var r = Tensor(shape: [n, n])
        for j in 0..<n { for i in 0...j { r[i, j] = columnMajor[j * m + i] } }
        try check(LAPACKE_sorgqr(LAPACK_COL_MAJOR, Int32(m), Int32(n), Int32(n), &columnMajor, Int32(m), &tau), "sorgqr")
        let q = Tensor(shape: [n, m], scalars: columnMajor).transposed
        return QRDecomposition(q: q, r: r)
    }

    /// The orthonormal factor `Q` alone (used by randomized SVD's power iterations).
    public static func orthonormalBasis(_ a: Tensor) throws -> Tensor { try qr(a).q }

    /// Eigenvalues (ascending) and eigenvectors of a symmetric matrix (`ssyevd`); only the upper
    /// triangle is read.
    public static func symmetricEigen(_ a: Tensor) throws -> SymmetricEigendecomposition {
        precondition(a.rank == 2 && a.shape[0] == a.shape[1], "symmetricEigen needs a square matrix; got shape \(a.shape).")
        let n = a.shape[0]
        if n == 0 { return SymmetricEigendecomposition(values: [], vectors: Tensor(shape: [0, 0])) }
        guard a.scalars.allSatisfy({ $0.isFinite }) else { throw LinearAlgebraError.nonFiniteInput(routine: "ssyevd") }
        var work = a.scalars  // symmetric: row-major and column-major agree
        var w = [Float](repeating: 0, count: n)
        try check(LAPACKE_ssyevd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")),
                                 Int32(n), &work, Int32(n), &w), "ssyevd")
        // Column-major eigenvectors in columns == row-major eigenvectors in rows; transpose back.
        return SymmetricEigendecomposition(values: w, vectors: Tensor(shape: [n, n], scalars: work).transposed)
    }
}
