// Kernel file: row-major sgemm and sgemv over raw buffers, for kernels that score slices of
// larger matrices in place (no Tensor copies).
//
// Shapes: gemm  C[m, n] = alpha · op(A)·op(B) + beta · C, op(A) [m, k], op(B) [k, n], leading
//               dimensions lda/ldb/ldc in elements (row strides);
//         gemv  y[m'] = alpha · op(A)·x + beta · y, A [rows, columns] with row stride lda.
import CBLAS

/// OpenBLAS's CBLAS routines with Swift argument labels, row-major, for callers that hold raw
/// buffers (``Tensor/matmul(_:_:transposeLeft:transposeRight:)`` wraps the same sgemm for tensors).
public enum BLASRoutines {
    /// `C = alpha · op(A)·op(B) + beta · C` (sgemm).
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `y = alpha · op(A)·x + beta · y` (sgemv), A `[rows, columns]`.
    public static func gemv(transpose: Bool = false, rows: Int, columns: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>, beta: Float = 0,
                            y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), alpha, a,
                    Int32(lda), x, 1, beta, y, 1)
    }
}
