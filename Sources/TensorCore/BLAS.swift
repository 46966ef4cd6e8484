import CBLAS

/// Matrix products through OpenBLAS's CBLAS interface (row-major).
///
/// `matmul(a, b)` computes `C = op(A) * op(B)` with `sgemm`, where `op` optionally transposes
/// without copying: shapes `[m, k] x [k, n] -> [m, n]` after the transposes.
extension Tensor {
    /// `op(lhs) * op(rhs)` with BLAS sgemm; `transposeLeft`/`transposeRight` select `op`.
    public static func matmul(_ lhs: Tensor, _ rhs: Tensor,
                              transposeLeft: Bool = false, transposeRight: Bool = false) -> Tensor {
        precondition(lhs.rank == 2 && rhs.rank == 2,
                     "matmul needs two matrices; got shapes \(lhs.shape) and \(rhs.shape).")
        let m = transposeLeft ? lhs.shape[1] : lhs.shape[0]
        let k = transposeLeft ? lhs.shape[0] : lhs.shape[1]
        let k2 = transposeRight ? rhs.shape[1] : rhs.shape[0]
        let n = transposeRight ? rhs.shape[0] : rhs.shape[1]
        precondition(k == k2, "Cannot multiply \(transposeLeft ? "transposed " : "")\(lhs.shape) by \(transposeRight ? "transposed " : "")\(rhs.shape): inner dimensions \(k) and \(k2) differ.")
        var out = Tensor(shape: [m, n])
        if m == 0 || n == 0 { return out }
        if k == 0 { return out }
        lhs.scalars.withUnsafeBufferPointer { a in
            rhs.scalars.withUnsafeBufferPointer { b in
                out.scalars.withUnsafeMutableBufferPointer { c in
                    cblas_sgemm(CblasRowMajor,
                                transposeLeft ? CblasTrans : CblasNoTrans,
                                transposeRight ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1,
                                a.baseAddress, Int32(lhs.shape[1]),
                                b.baseAddress, Int32(rhs.shape[1]), 0,
                                c.baseAddress, Int32(n))
                }
            }
        }
        return out
    }

    /// Matrix-vector product `op(self) * x` with BLAS sgemv; `x` has `op(self).columns` elements.
    public func matvec(_ x: [Float], transposed: Bool = false) -> [Float] {
        precondition(rank == 2, "matvec needs a matrix; this tensor has shape \(shape).")
        let (rowsCount, cols) = (shape[0], shape[1])
        let inputCount = transposed ? rowsCount : cols
        let outputCount = transposed ? cols : rowsCount
        precondition(x.count == inputCount, "matvec needs a vector of \(inputCount) elements for a \(transposed ? "transposed " : "")\(shape) matrix; got \(x.count).")
        var y = [Float](repeating: 0, count: outputCount)
        if rowsCount == 0 || cols == 0 { return y }
        scalars.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_sgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans,
                                Int32(rowsCount), Int32(cols), 1, a.baseAddress, Int32(cols),
                                xp.baseAddress, 1, 0, yp.baseAddress, 1)
                }
            }
        }
        return y
    }
}

/// The dot product of two equally long vectors, accumulated in Float.
public func dot(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "A dot product needs vectors of equal length; got \(a.count) and \(b.count).")
    var s: Float = 0
    for i in a.indices { s += a[i] * b[i] }
    return s
}

/// Facts about the OpenBLAS library this process loaded.
///
/// OpenBLAS picks its kernels ("core") once, when the library is loaded; `OPENBLAS_CORETYPE`
/// in the environment overrides the detection. Debian's OpenBLAS 0.3.21 does not recognise some
/// recent CPUs and falls back to a generic core several times slower; ``recommendedCoreType``
/// tells which core the CPU supports so that a launcher can set `OPENBLAS_CORETYPE` and re-execute.
public enum OpenBLAS {
    /// The name of the kernel set in use, e.g. `Haswell`, `SkylakeX` or `Prescott`.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The number of threads OpenBLAS uses for level-3 routines.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Cores OpenBLAS falls back to when it does not recognise a CPU.
    public static let genericCores: Set<String> = ["prescott", "katmai", "coppermine", "northwood", "core2", "nehalem", "atom", "generic", "unknown", "barcelona", "opteron", "penryn", "dunnington"]

    /// Whether the loaded kernels are a generic fallback.
    public static var isGenericCore: Bool { genericCores.contains(coreName.lowercased()) }

    /// The `OPENBLAS_CORETYPE` value that matches the instruction sets listed in `cpuFlags`
    /// (the `flags` line of /proc/cpuinfo): `SkylakeX` with AVX-512 (F, BW, DQ, VL), `Haswell`
    /// with AVX2 and FMA, otherwise nil.
    public static func recommendedCoreType(cpuFlags: Set<String>) -> String? {
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(cpuFlags.contains) { return "SkylakeX" }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The CPU flags of the first processor in `/proc/cpuinfo` (empty where it does not exist).
    public static func cpuFlags(cpuinfo: String) -> Set<String> {
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }
}
