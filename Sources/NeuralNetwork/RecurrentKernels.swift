import Dispatch
import TensorCore

// Raw-buffer kernels of the time layers (TimeRNN, TimeLSTM, TimeAffine, TimeSoftmaxWithLoss,
// TimeDropout): the only file of the time layers with unsafe code.
//
// Shapes (row-major Float32, sequences batch-major as in Saitoh 2, ch. 5-7):
//   xs                [N, T, D]   element (n, t, j) at (n*T + t)*D + j; also viewed as [N*T, D]
//   gates A (LSTM)    [N, T, 4H]  pre-activations, overwritten with activations; the four H-wide
//                                 blocks of a row are f | g | i | o
//   pre-activations (RNN) [N, T, H]
//   hs, cs, tanh(cs)  [N, T, H]   hidden state, memory cell and tanh(cell) after step t
//   previousHidden    [N, T, H]   h_{t-1} at (n, t) (h0 at t = 0), for one dWh sgemm
//   h0, c0, dh, dc    [N, H]      the state before step 0 / the running gradient of the state
//   Wx [D, G], Wh [H, G], b [G]   G = 4H (LSTM) or H (RNN)
//   scores            [R, C]      R = N*T rows of C classes (TimeSoftmaxWithLoss)
// Step t of a sequence buffer of width W is the N rows at offset t*W with row stride T*W, so the
// per-step products h_{t-1}·Wh and dA_t·Whᵀ are strided sgemms straight into the big buffers.
// Callers validate shapes before calling; kernels only index, and return early for empty work.

/// A raw pointer handed to worker threads that write disjoint parts of its buffer.
struct SharedPointer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }
}

enum RecurrentKernels {
    // MARK: Dense products over whole buffers

    /// Runs `body` with OpenBLAS on one thread. The per-step products of a recurrent layer
    /// (`[N, H] x [H, 4H]`, about a million multiply-adds) are too small to share: waking the
    /// second BLAS thread for each of the T steps costs more than it saves, and on a busy machine
    /// far more. The big products over all N·T rows keep every thread.
    static func withSingleThreadedBLAS(_ body: () -> Void) {
        let threads = OpenBLAS.threadCount
        guard threads > 1 else { return body() }
        OpenBLAS.threadCount = 1
        body()
        OpenBLAS.threadCount = threads
    }

    /// `c = op(a)·op(b) + beta·c` for contiguous row-major matrices, op(a) `[m, k]`, op(b) `[k, n]`.
    static func multiply(_ a: [Float], _ b: [Float], into c: inout [Float], m: Int, n: Int, k: Int,
                         transposeA: Bool = false, transposeB: Bool = false, beta: Float = 0) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if beta == 0 { c.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
            return
        }
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    BLASRoutines.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                      a: ap.baseAddress!, lda: transposeA ? m : k,
                                      b: bp.baseAddress!, ldb: transposeB ? k : n,
                                      beta: beta, c: cp.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// An array of `count` floats whose elements are not initialised: for outputs that are
    /// written whole before they are read (a bias fill, a beta-0 product).
    static func uninitialized(count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Every row of `out` (`[rows, width]`) set to `bias` (`[width]`).
    static func fillRows(_ out: inout [Float], with bias: [Float], rows: Int, width: Int) {
        guard rows > 0, width > 0 else { return }
        bias.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows { (o.baseAddress! + r * width).update(from: b.baseAddress!, count: width) }
            }
        }
    }

    /// `sums[j] += Σ_r x[r, j]` for x `[rows, width]`.
    static func addColumnSums(of x: [Float], rows: Int, width: Int, into sums: inout [Float]) {
        guard rows > 0, width > 0 else { return }
        x.withUnsafeBufferPointer { xp in
            sums.withUnsafeMutableBufferPointer { s in
                for r in 0..<rows {
                    let row = xp.baseAddress! + r * width
                    for j in 0..<width { s[j] += row[j] }
                }
            }
        }
    }

    // MARK: Activations
    //
    // exp over eight lanes at once (Cephes' expf: e^x = 2^n · e^r with n = round(x / ln 2),
    // |r| ≤ ln 2 / 2, and a degree-6 polynomial for e^r; about 2 ulp on [−87, 88], clamped
    // outside), and σ and tanh built on it. Scalar tails use the same formula, so every element
    // of a buffer is computed by one function.

    typealias Float8 = SIMD8<Float>

    // Lane-wise min and max. The standard library's generic `pointwiseMin`/`pointwiseMax` (and
    // `SIMD.max()`) compile to out-of-line calls here, which made every exp a function call and
    // the softmax of an LM step four times slower; these stay in registers (vminps/vmaxps).
    @inline(__always)
    static func lanewiseMin(_ a: Float8, _ b: Float8) -> Float8 { a.replacing(with: b, where: b .< a) }

    @inline(__always)
    static func lanewiseMax(_ a: Float8, _ b: Float8) -> Float8 { a.replacing(with: b, where: b .> a) }

    @inline(__always)
    static func largestLane(_ v: Float8) -> Float {
        var m = v[0]
        for i in 1..<8 { m = max(m, v[i]) }
        return m
    }

    @inline(__always)
    static func exp(_ x: Float8) -> Float8 {
        let clamped = lanewiseMax(lanewiseMin(x, Float8(repeating: 88.3)), Float8(repeating: -87.3))
        // round(x / ln 2) by the 1.5·2²³ trick: the sum's low mantissa bits hold the integer.
        let magic = Float8(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        var r = clamped - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = Float8(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let y = p * (r * r) + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: Float8.self)
        return y * scale
    }

    @inline(__always)
    static func sigmoid(_ x: Float8) -> Float8 { 1 / (1 + exp(-x)) }

    /// tanh x = 2σ(2x) − 1.
    @inline(__always)
    static func tanh(_ x: Float8) -> Float8 { 2 * sigmoid(2 * x) - 1 }

    @inline(__always)
    static func exp(_ x: Float) -> Float { exp(Float8(repeating: x))[0] }

    @inline(__always)
    static func sigmoid(_ v: Float) -> Float { sigmoid(Float8(repeating: v))[0] }

    @inline(__always)
    static func tanh(_ v: Float) -> Float { tanh(Float8(repeating: v))[0] }

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> Float8 { UnsafeRawPointer(p).loadUnaligned(as: Float8.self) }

    @inline(__always)
    static func store8(_ v: Float8, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Float8.self) }

    /// The LSTM cell for one row: gates `gate[0..<4H]` (pre-activations in, activations out),
    /// previous cell, new cell, tanh(cell), hidden output and a copy of the previous hidden state.
    @inline(__always)
    static func lstmCell(gate: UnsafeMutablePointer<Float>, cPrev: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                         c: UnsafeMutablePointer<Float>, tc: UnsafeMutablePointer<Float>, hOut: UnsafeMutablePointer<Float>,
                         prev: UnsafeMutablePointer<Float>, h: Int) {
        var j = 0
        while j + 8 <= h {
            let f = sigmoid(load8(gate + j)), g = tanh(load8(gate + h + j))
            let i = sigmoid(load8(gate + 2 * h + j)), o = sigmoid(load8(gate + 3 * h + j))
            store8(f, gate + j); store8(g, gate + h + j); store8(i, gate + 2 * h + j); store8(o, gate + 3 * h + j)
            let cell = f * load8(cPrev + j) + g * i
            let tanhCell = tanh(cell)
            store8(cell, c + j); store8(tanhCell, tc + j); store8(o * tanhCell, hOut + j)
            store8(load8(hPrev + j), prev + j)
            j += 8
        }
        while j < h {
            let f = sigmoid(gate[j]), g = tanh(gate[h + j]), i = sigmoid(gate[2 * h + j]), o = sigmoid(gate[3 * h + j])
            gate[j] = f; gate[h + j] = g; gate[2 * h + j] = i; gate[3 * h + j] = o
            let cell = f * cPrev[j] + g * i
            let tanhCell = tanh(cell)
            c[j] = cell; tc[j] = tanhCell; hOut[j] = o * tanhCell
            prev[j] = hPrev[j]
            j += 1
        }
    }

    /// One row of the LSTM's backward step (see ``lstmBackward``), eight lanes at a time.
    @inline(__always)
    static func lstmCellBackward(gate: UnsafePointer<Float>, dGate: UnsafeMutablePointer<Float>,
                                 cPrev: UnsafePointer<Float>, tc: UnsafePointer<Float>,
                                 dhIn: UnsafePointer<Float>, dhRow: UnsafeMutablePointer<Float>,
                                 dcRow: UnsafeMutablePointer<Float>, h: Int) {
        var j = 0
        while j + 8 <= h {
            let f = load8(gate + j), g = load8(gate + h + j), i = load8(gate + 2 * h + j), o = load8(gate + 3 * h + j)
            let tanhCell = load8(tc + j)
            let dh = load8(dhIn + j) + load8(dhRow + j)
            let dc = load8(dcRow + j) + dh * o * (1 - tanhCell * tanhCell)
            store8(dc * load8(cPrev + j) * f * (1 - f), dGate + j)
            store8(dc * i * (1 - g * g), dGate + h + j)
            store8(dc * g * i * (1 - i), dGate + 2 * h + j)
            store8(dh * tanhCell * o * (1 - o), dGate + 3 * h + j)
            store8(dc * f, dcRow + j)
            j += 8
        }
        while j < h {
            let f = gate[j], g = gate[h + j], i = gate[2 * h + j], o = gate[3 * h + j]
            let tanhCell = tc[j]
            let dh = dhIn[j] + dhRow[j]
            let dc = dcRow[j] + dh * o * (1 - tanhCell * tanhCell)
            dGate[j] = dc * cPrev[j] * f * (1 - f)
            dGate[h + j] = dc * i * (1 - g * g)
            dGate[2 * h + j] = dc * g * i * (1 - i)
            dGate[3 * h + j] = dh * tanhCell * o * (1 - o)
            dcRow[j] = dc * f
            j += 1
        }
    }

    // MARK: LSTM

    /// The forward pass of an LSTM over T steps (Hochreiter & Schmidhuber 1997; Saitoh 2, §6.3):
    /// `A = x Wx + h_{t−1} Wh + b`, `f = σ(A_f)`, `g = tanh(A_g)`, `i = σ(A_i)`, `o = σ(A_o)`,
    /// `c_t = f ⊙ c_{t−1} + g ⊙ i`, `h_t = o ⊙ tanh(c_t)`.
    /// x·Wx for all N·T rows is one sgemm; each step adds h_{t−1}·Wh (one strided sgemm) and
    /// runs the gate kernel. Fills gates (activations), hs, cs, tanhCs and previousHidden.
    static func lstmForward(xs: [Float], wx: [Float], wh: [Float], bias: [Float], h0: [Float], c0: [Float],
                            batch n: Int, time steps: Int, input d: Int, hidden h: Int,
                            gates: inout [Float], hs: inout [Float], cs: inout [Float], tanhCs: inout [Float],
                            previousHidden: inout [Float]) {
        let g4 = 4 * h, rows = n * steps
        guard rows > 0, h > 0 else { return }
        fillRows(&gates, with: bias, rows: rows, width: g4)
        multiply(xs, wx, into: &gates, m: rows, n: g4, k: d, beta: 1)
        h0.withUnsafeBufferPointer { h0p in
        c0.withUnsafeBufferPointer { c0p in
        wh.withUnsafeBufferPointer { whp in
        gates.withUnsafeMutableBufferPointer { ap in
        hs.withUnsafeMutableBufferPointer { hp in
        cs.withUnsafeMutableBufferPointer { cp in
        tanhCs.withUnsafeMutableBufferPointer { tp in
        previousHidden.withUnsafeMutableBufferPointer { pp in
            let a = ap.baseAddress!, hsBase = hp.baseAddress!, csBase = cp.baseAddress!
            let tanhBase = tp.baseAddress!, prevBase = pp.baseAddress!
            withSingleThreadedBLAS {
                for t in 0..<steps {
                    let hPrev: UnsafePointer<Float> = t == 0 ? h0p.baseAddress! : UnsafePointer(hsBase + (t - 1) * h)
                    let hPrevStride = t == 0 ? h : steps * h
                    BLASRoutines.gemm(m: n, n: g4, k: h, a: hPrev, lda: hPrevStride, b: whp.baseAddress!, ldb: g4,
                                      beta: 1, c: a + t * g4, ldc: steps * g4)
                    for b in 0..<n {
                        let row = b * steps + t
                        let cPrev: UnsafePointer<Float> = t == 0 ? c0p.baseAddress! + b * h : UnsafePointer(csBase + (row - 1) * h)
                        lstmCell(gate: a + row * g4, cPrev: cPrev, hPrev: hPrev + b * hPrevStride, c: csBase + row * h,
                                 tc: tanhBase + row * h, hOut: hsBase + row * h, prev: prevBase + row * h, h: h)
                    }
                }
            }
        }}}}}}}}
    }

    /// Backward through time of ``lstmForward``: from dhs `[N, T, H]` and the gradient of the final
    /// state (in `dhNext`, `dcNext`), fills dGates `[N, T, 4H]` and leaves ∂L/∂h0, ∂L/∂c0 in
    /// `dhNext`, `dcNext`. Per step: `dh = dhs_t + dh_next`,
    /// `dc = dc_next + dh ⊙ o ⊙ (1 − tanh²c_t)`, `dA_f = dc ⊙ c_{t−1} ⊙ f(1−f)`,
    /// `dA_g = dc ⊙ i ⊙ (1−g²)`, `dA_i = dc ⊙ g ⊙ i(1−i)`, `dA_o = dh ⊙ tanh c_t ⊙ o(1−o)`,
    /// `dc_next = dc ⊙ f`, `dh_next = dA_t Whᵀ` (one strided sgemm).
    static func lstmBackward(dhs: [Float], gates: [Float], cs: [Float], tanhCs: [Float], c0: [Float], wh: [Float],
                             batch n: Int, time steps: Int, hidden h: Int,
                             dhNext: inout [Float], dcNext: inout [Float], dGates: inout [Float]) {
        let g4 = 4 * h
        guard n * steps > 0, h > 0 else { return }
        dhs.withUnsafeBufferPointer { dhp in
        gates.withUnsafeBufferPointer { ap in
        cs.withUnsafeBufferPointer { cp in
        tanhCs.withUnsafeBufferPointer { tp in
        c0.withUnsafeBufferPointer { c0p in
        wh.withUnsafeBufferPointer { whp in
        dhNext.withUnsafeMutableBufferPointer { dhn in
        dcNext.withUnsafeMutableBufferPointer { dcn in
        dGates.withUnsafeMutableBufferPointer { dap in
            let dA = dap.baseAddress!
            withSingleThreadedBLAS {
                for t in stride(from: steps - 1, through: 0, by: -1) {
                    for b in 0..<n {
                        let row = b * steps + t
                        let cPrev = t == 0 ? c0p.baseAddress! + b * h : cp.baseAddress! + (row - 1) * h
                        lstmCellBackward(gate: ap.baseAddress! + row * g4, dGate: dA + row * g4, cPrev: cPrev,
                                         tc: tp.baseAddress! + row * h, dhIn: dhp.baseAddress! + row * h,
                                         dhRow: dhn.baseAddress! + b * h, dcRow: dcn.baseAddress! + b * h, h: h)
                    }
                    BLASRoutines.gemm(transposeB: true, m: n, n: h, k: g4, a: UnsafePointer(dA + t * g4), lda: steps * g4,
                                      b: whp.baseAddress!, ldb: g4, beta: 0, c: dhn.baseAddress!, ldc: h)
                }
            }
        }}}}}}}}}
    }

    // MARK: RNN

    /// The forward pass of a tanh RNN over T steps (Elman 1990; Saitoh 2, §5.3):
    /// `h_t = tanh(x_t Wx + h_{t−1} Wh + b)`. x·Wx for all rows is one sgemm; each step adds
    /// h_{t−1}·Wh with one strided sgemm. Fills hs and previousHidden.
    static func rnnForward(xs: [Float], wx: [Float], wh: [Float], bias: [Float], h0: [Float],
                           batch n: Int, time steps: Int, input d: Int, hidden h: Int,
                           hs: inout [Float], previousHidden: inout [Float]) {
        let rows = n * steps
        guard rows > 0, h > 0 else { return }
        fillRows(&hs, with: bias, rows: rows, width: h)
        multiply(xs, wx, into: &hs, m: rows, n: h, k: d, beta: 1)
        h0.withUnsafeBufferPointer { h0p in
        wh.withUnsafeBufferPointer { whp in
        hs.withUnsafeMutableBufferPointer { hp in
        previousHidden.withUnsafeMutableBufferPointer { pp in
            let hsBase = hp.baseAddress!
            withSingleThreadedBLAS {
            for t in 0..<steps {
                let hPrev: UnsafePointer<Float> = t == 0 ? h0p.baseAddress! : UnsafePointer(hsBase + (t - 1) * h)
                let hPrevStride = t == 0 ? h : steps * h
                BLASRoutines.gemm(m: n, n: h, k: h, a: hPrev, lda: hPrevStride, b: whp.baseAddress!, ldb: h,
                                  beta: 1, c: hsBase + t * h, ldc: steps * h)
                for b in 0..<n {
                    let row = b * steps + t
                    let out = hsBase + row * h, prev = pp.baseAddress! + row * h, hPrevRow = hPrev + b * hPrevStride
                    for j in 0..<h {
                        out[j] = tanh(out[j])
                        prev[j] = hPrevRow[j]
                    }
                }
            }
            }
        }}}}
    }

    /// Backward through time of ``rnnForward``: `dA_t = (dhs_t + dh_next) ⊙ (1 − h_t²)`,
    /// `dh_next = dA_t Whᵀ`. Fills dPre `[N, T, H]` and leaves ∂L/∂h0 in `dhNext`.
    static func rnnBackward(dhs: [Float], hs: [Float], wh: [Float], batch n: Int, time steps: Int, hidden h: Int,
                            dhNext: inout [Float], dPre: inout [Float]) {
        guard n * steps > 0, h > 0 else { return }
        dhs.withUnsafeBufferPointer { dhp in
        hs.withUnsafeBufferPointer { hp in
        wh.withUnsafeBufferPointer { whp in
        dhNext.withUnsafeMutableBufferPointer { dhn in
        dPre.withUnsafeMutableBufferPointer { dp in
            let dA = dp.baseAddress!
            withSingleThreadedBLAS {
            for t in stride(from: steps - 1, through: 0, by: -1) {
                for b in 0..<n {
                    let row = b * steps + t
                    let hRow = hp.baseAddress! + row * h, dhIn = dhp.baseAddress! + row * h
                    let dRow = dA + row * h, next = dhn.baseAddress! + b * h
                    for j in 0..<h {
                        let y = hRow[j]
                        dRow[j] = (dhIn[j] + next[j]) * (1 - y * y)
                    }
                }
                BLASRoutines.gemm(transposeB: true, m: n, n: h, k: h, a: UnsafePointer(dA + t * h), lda: steps * h,
                                  b: whp.baseAddress!, ldb: h, beta: 0, c: dhn.baseAddress!, ldc: h)
            }
            }
        }}}}}
    }

    // MARK: Softmax with cross-entropy

    /// Returns `Σ −log softmax(row)[label]` in Double over the rows of `scores` (`[rows, columns]`)
    /// whose label is not `ignored`, and replaces each such row by the gradient of that loss
    /// scaled by `gradientScale`, `(softmax(row) − onehot(label)) · gradientScale`, and each
    /// ignored row by its softmax. Large matrices are split over two threads by rows (the output
    /// layer of a language model is `[N·T, V]`, millions of exponentials per step).
    static func softmaxCrossEntropy(_ scores: inout [Float], labels: [Int], ignored: Int?,
                                    rows: Int, columns c: Int, gradientScale: Float) -> Double {
        guard rows > 0, c > 0 else { return 0 }
        let parts = rows * c >= 1 << 20 && rows >= 2 ? 2 : 1
        var sums = [Double](repeating: 0, count: parts)
        labels.withUnsafeBufferPointer { lp in
            scores.withUnsafeMutableBufferPointer { sp in
                sums.withUnsafeMutableBufferPointer { sumsPointer in
                    // Each part touches only its own rows and its own slot of sums.
                    let base = SharedPointer(sp.baseAddress!), labelBase = SharedPointer(UnsafeMutablePointer(mutating: lp.baseAddress!))
                    let sumsBase = SharedPointer(sumsPointer.baseAddress!)
                    let work: @Sendable (Int) -> Void = { part in
                        let first = rows * part / parts, last = rows * (part + 1) / parts
                        sumsBase.pointer[part] = softmaxRows(base.pointer + first * c, labels: labelBase.pointer + first,
                                                             ignored: ignored, rows: last - first, columns: c,
                                                             gradientScale: gradientScale)
                    }
                    if parts == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: work) }
                }
            }
        }
        return sums.reduce(0, +)
    }

    @inline(__always)
    private static func softmaxRows(_ scores: UnsafeMutablePointer<Float>, labels: UnsafePointer<Int>, ignored: Int?,
                                    rows: Int, columns c: Int, gradientScale: Float) -> Double {
        var total = 0.0
        for r in 0..<rows {
            let row = scores + r * c
            let label = labels[r]
            let labelScore = label == ignored ? 0 : row[label]
            var top8 = Float8(repeating: -.infinity)
            var j = 0
            while j + 8 <= c { top8 = lanewiseMax(top8, load8(row + j)); j += 8 }
            var top = largestLane(top8)
            while j < c { top = max(top, row[j]); j += 1 }
            var sum8 = Float8()
            let shift = Float8(repeating: top)
            j = 0
            while j + 8 <= c {
                let e = exp(load8(row + j) - shift)
                store8(e, row + j)
                sum8 += e
                j += 8
            }
            var sum = sum8.sum()
            while j < c {
                let e = exp(row[j] - top)
                row[j] = e
                sum += e
                j += 1
            }
            // Counted rows become (p − onehot)·scale, ignored rows p.
            let counted = label != ignored
            if counted {
                // −log p = log Σ exp(x − max) − (x_label − max).
                total += Double.log(Double(sum)) - Double(labelScore - top)
            }
            let inverse = (counted ? gradientScale : 1) / sum, inverse8 = Float8(repeating: inverse)
            j = 0
            while j + 8 <= c { store8(load8(row + j) * inverse8, row + j); j += 8 }
            while j < c { row[j] *= inverse; j += 1 }
            if counted { row[label] -= gradientScale }
        }
        return total
    }

    /// Finishes ``softmaxCrossEntropy(_:labels:ignored:rows:columns:gradientScale:)``'s buffer into
    /// the gradient of `lossGradient · L`: ignored rows zeroed, everything scaled when
    /// `lossGradient` is not 1 (training passes 1, so this usually touches no element).
    static func finishSoftmaxGradient(_ values: inout [Float], labels: [Int], ignored: Int?, columns c: Int,
                                      lossGradient: Float) {
        guard c > 0 else { return }
        values.withUnsafeMutableBufferPointer { vp in
            if let ignored {
                for (r, label) in labels.enumerated() where label == ignored {
                    (vp.baseAddress! + r * c).update(repeating: 0, count: c)
                }
            }
            if lossGradient != 1 {
                for k in vp.indices { vp[k] *= lossGradient }
            }
        }
    }

    // MARK: Dropout

    /// `y[n, t, j] = x[n, t, j] · mask[n, j]` for a per-sequence mask `[N, D]` (variational
    /// dropout), or elementwise when the mask has as many elements as x.
    static func applyMask(_ x: [Float], mask: [Float], batch n: Int, time steps: Int, width d: Int,
                          sharedOverTime: Bool) -> [Float] {
        var y = x
        guard n * steps > 0, d > 0 else { return y }
        mask.withUnsafeBufferPointer { mp in
            y.withUnsafeMutableBufferPointer { yp in
                if !sharedOverTime {
                    for i in 0..<yp.count { yp[i] *= mp[i] }
                    return
                }
                for b in 0..<n {
                    let m = mp.baseAddress! + b * d
                    for t in 0..<steps {
                        let row = yp.baseAddress! + (b * steps + t) * d
                        for j in 0..<d { row[j] *= m[j] }
                    }
                }
            }
        }
        return y
    }
}
