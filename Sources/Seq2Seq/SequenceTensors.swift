import TensorCore

/// Reshaping helpers for batch-major sequence tensors `[N, T, W]` (element (n, t, j) at
/// (n·T + t)·W + j): one step, concatenation and splitting along the feature axis, repetition
/// and summation over time. Plain copies; no arithmetic beyond sums.
public enum SequenceTensors {
    /// Step t of xs `[N, T, W]` as `[N, W]`.
    public static func step(_ xs: Tensor, _ t: Int) -> Tensor {
        let (n, time, width) = (xs.shape[0], xs.shape[1], xs.shape[2])
        var out = [Float](repeating: 0, count: n * width)
        for b in 0..<n {
            let from = (b * time + t) * width
            for j in 0..<width { out[b * width + j] = xs.scalars[from + j] }
        }
        return Tensor(shape: [n, width], scalars: out)
    }

    /// Writes `[N, W]` into step t of a `[N, time, W]` buffer.
    public static func setStep(_ buffer: inout [Float], _ t: Int, from row: Tensor, time: Int) {
        let (n, width) = (row.shape[0], row.shape[1])
        for b in 0..<n {
            let to = (b * time + t) * width
            for j in 0..<width { buffer[to + j] = row.scalars[b * width + j] }
        }
    }

    /// `[N, T, A]` and `[N, T, B]` → `[N, T, A + B]` (a's features first).
    public static func concatenate(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0] && a.shape[1] == b.shape[1],
                     "SequenceTensors.concatenate needs [N, T, A] and [N, T, B]; got \(a.shape) and \(b.shape).")
        let rows = a.shape[0] * a.shape[1], (wa, wb) = (a.shape[2], b.shape[2])
        var out = [Float](repeating: 0, count: rows * (wa + wb))
        for r in 0..<rows {
            let to = r * (wa + wb)
            for j in 0..<wa { out[to + j] = a.scalars[r * wa + j] }
            for j in 0..<wb { out[to + wa + j] = b.scalars[r * wb + j] }
        }
        return Tensor(shape: [a.shape[0], a.shape[1], wa + wb], scalars: out)
    }

    /// `[N, T, A + B]` → (`[N, T, A]`, `[N, T, B]`), the inverse of ``concatenate(_:_:)``.
    public static func split(_ x: Tensor, firstWidth wa: Int) -> (Tensor, Tensor) {
        let rows = x.shape[0] * x.shape[1], width = x.shape[2], wb = width - wa
        var a = [Float](repeating: 0, count: rows * wa), b = [Float](repeating: 0, count: rows * wb)
        for r in 0..<rows {
            for j in 0..<wa { a[r * wa + j] = x.scalars[r * width + j] }
            for j in 0..<wb { b[r * wb + j] = x.scalars[r * width + wa + j] }
        }
        return (Tensor(shape: [x.shape[0], x.shape[1], wa], scalars: a), Tensor(shape: [x.shape[0], x.shape[1], wb], scalars: b))
    }

    /// h `[N, W]` repeated at every one of `time` steps: `[N, time, W]`.
    public static func repeated(_ h: Tensor, time: Int) -> Tensor {
        let (n, width) = (h.shape[0], h.shape[1])
        var out = [Float](repeating: 0, count: n * time * width)
        for b in 0..<n {
            for t in 0..<time {
                let to = (b * time + t) * width
                for j in 0..<width { out[to + j] = h.scalars[b * width + j] }
            }
        }
        return Tensor(shape: [n, time, width], scalars: out)
    }

    /// Σ_t xs[:, t, :], `[N, W]` (the gradient of ``repeated(_:time:)``).
    public static func sumOverTime(_ xs: Tensor) -> Tensor {
        let (n, time, width) = (xs.shape[0], xs.shape[1], xs.shape[2])
        var out = [Float](repeating: 0, count: n * width)
        for b in 0..<n {
            for t in 0..<time {
                let from = (b * time + t) * width
                for j in 0..<width { out[b * width + j] += xs.scalars[from + j] }
            }
        }
        return Tensor(shape: [n, width], scalars: out)
    }
}
