import TensorCore

// Raw-buffer kernels of the NeuralNetwork module: the only file here with unsafe code.
//
// Shapes (all buffers row-major Float32):
//   matrix parameter W         [V, D]      element (r, j) at r * D + j
//   gathered / batch rows      [N, D]      row i belongs to id ids[i]
//   sparse gradient storage    [K, D]      row k belongs to row id rowIDs[k] (K distinct ids)
//   dense gradient as "rows"   [1, V*D]    one row with id 0 (see GradientRows)
//   optimizer state (m, v, h)  same count as the parameter value, indexed like W
//   score matrices             [N, C]      softmax / cross-entropy over the C columns of each row
// Callers validate shapes and ids (see Validate) before calling; kernels only index. Kernels
// that index rows return early for zero-width rows (empty buffers have no base address).

enum Kernels {
    // MARK: Sparse rows

    /// `storage[slots[k], :] += rows[k, :]` for every k.
    static func addRows(_ rows: [Float], intoSlots slots: [Int], of storage: inout [Float], width: Int) {
        guard width > 0 else { return }
        rows.withUnsafeBufferPointer { src in
            storage.withUnsafeMutableBufferPointer { dst in
                for (k, slot) in slots.enumerated() {
                    let s = src.baseAddress! + k * width, d = dst.baseAddress! + slot * width
                    for j in 0..<width { d[j] += s[j] }
                }
            }
        }
    }

    /// `x *= factor` elementwise.
    static func scale(_ x: inout [Float], by factor: Float) {
        x.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] *= factor }
        }
    }

    /// `storage[k, :] += rate * value[rowIDs[k], :]`.
    static func addScaledRows(of value: [Float], rowIDs: [Int], width: Int, _ rate: Float, into storage: inout [Float]) {
        guard width > 0 else { return }
        value.withUnsafeBufferPointer { w in
            storage.withUnsafeMutableBufferPointer { g in
                for (k, id) in rowIDs.enumerated() {
                    let src = w.baseAddress! + id * width, dst = g.baseAddress! + k * width
                    for j in 0..<width { dst[j] += rate * src[j] }
                }
            }
        }
    }

    /// Σ x², accumulated in Double.
    static func sumOfSquares(_ x: [Float]) -> Double {
        x.withUnsafeBufferPointer { p in
            var total = 0.0
            for v in p { total += Double(v) * Double(v) }
            return total
        }
    }

    // MARK: Embedding dot

    /// `out[i] = a[i, :] · b[i, :]` for a, b `[n, D]`.
    static func rowDots(_ a: [Float], _ b: [Float], rows n: Int, width: Int) -> [Float] {
        guard width > 0 else { return [Float](repeating: 0, count: n) }
        var out = [Float](repeating: 0, count: n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<n {
                        let x = ap.baseAddress! + i * width, y = bp.baseAddress! + i * width
                        var s: Float = 0
                        for j in 0..<width { s += x[j] * y[j] }
                        o[i] = s
                    }
                }
            }
        }
        return out
    }

    /// `out[i, :] = factors[i] * rows[i, :]` for rows `[N, D]`.
    static func scaledRows(_ rows: [Float], factors: [Float], width: Int) -> [Float] {
        guard width > 0 else { return [] }
        var out = [Float](repeating: 0, count: factors.count * width)
        rows.withUnsafeBufferPointer { s in
            factors.withUnsafeBufferPointer { f in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<f.count {
                        let a = s.baseAddress! + i * width, b = o.baseAddress! + i * width
                        let factor = f[i]
                        for j in 0..<width { b[j] = factor * a[j] }
                    }
                }
            }
        }
        return out
    }

    // MARK: Softmax and losses

    /// Row-wise softmax of an `[n, c]` matrix, shifted by each row's maximum for stability.
    static func softmaxRows(_ x: [Float], rows n: Int, columns c: Int) -> [Float] {
        guard c > 0 else { return [] }
        var y = [Float](repeating: 0, count: n * c)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                for i in 0..<n {
                    let a = xp.baseAddress! + i * c, b = yp.baseAddress! + i * c
                    var top = -Float.infinity
                    for j in 0..<c { top = max(top, a[j]) }
                    var total: Float = 0
                    for j in 0..<c { b[j] = Float.exp(a[j] - top); total += b[j] }
                    let inverse = 1 / total
                    for j in 0..<c { b[j] *= inverse }
                }
            }
        }
        return y
    }

    /// `dx[i, j] = y[i, j] * (dout[i, j] - Σ_k dout[i, k] y[i, k])` (softmax Jacobian-vector product).
    static func softmaxBackward(y: [Float], dout: [Float], rows n: Int, columns c: Int) -> [Float] {
        var dx = [Float](repeating: 0, count: n * c)
        y.withUnsafeBufferPointer { yp in
            dout.withUnsafeBufferPointer { gp in
                dx.withUnsafeMutableBufferPointer { dp in
                    for i in 0..<n {
                        var inner: Float = 0
                        for j in 0..<c { inner += yp[i * c + j] * gp[i * c + j] }
                        for j in 0..<c { dp[i * c + j] = yp[i * c + j] * (gp[i * c + j] - inner) }
                    }
                }
            }
        }
        return dx
    }

    /// Σ_i −log softmax(x_i)[labels[i]], computed as logsumexp(x_i) − x_i[t] in Double.
    static func crossEntropySum(scores x: [Float], labels: [Int], columns c: Int) -> Double {
        x.withUnsafeBufferPointer { xp in
            var total = 0.0
            for (i, t) in labels.enumerated() {
                let a = xp.baseAddress! + i * c
                var top = -Float.infinity
                for j in 0..<c { top = max(top, a[j]) }
                var s = 0.0
                for j in 0..<c { s += Double.exp(Double(a[j] - top)) }
                total += Double.log(s) + Double(top) - Double(a[t])
            }
            return total
        }
    }

    /// Σ_i [max(x,0) − x t + log(1 + e^{−|x|})], the numerically stable binary cross-entropy of
    /// logits x against targets t, in Double.
    static func binaryCrossEntropySum(logits x: [Float], targets t: [Float]) -> Double {
        x.withUnsafeBufferPointer { xp in
            t.withUnsafeBufferPointer { tp in
                var total = 0.0
                for i in 0..<xp.count {
                    let v = Double(xp[i])
                    total += max(v, 0) - v * Double(tp[i]) + Double.log(onePlus: Double.exp(-abs(v)))
                }
                return total
            }
        }
    }

    /// σ(x) = 1 / (1 + e^{−x}) elementwise, without overflow for large |x|.
    static func sigmoid(_ x: [Float]) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                for i in 0..<xp.count {
                    let v = xp[i]
                    if v >= 0 {
                        yp[i] = 1 / (1 + Float.exp(-v))
                    } else {
                        let e = Float.exp(v)
                        yp[i] = e / (1 + e)
                    }
                }
            }
        }
        return y
    }

    // MARK: Optimizers
    //
    // Every optimizer kernel walks GradientRows: row k of the gradient updates
    // value[rowIDs[k] * width ..< (rowIDs[k] + 1) * width] and the same range of each state buffer.

    /// w −= lr · g.
    static func sgd(_ w: inout [Float], _ g: GradientRows, learningRate lr: Float) {
        guard g.width > 0 else { return }
        let width = g.width
        w.withUnsafeMutableBufferPointer { wp in
            g.values.withUnsafeBufferPointer { gp in
                for (k, id) in g.rowIDs.enumerated() {
                    let wr = wp.baseAddress! + id * width, gr = gp.baseAddress! + k * width
                    for j in 0..<width { wr[j] -= lr * gr[j] }
                }
            }
        }
    }

    /// v ← μ v − lr · g;  w ← w + v.
    static func momentum(_ w: inout [Float], _ v: inout [Float], _ g: GradientRows, learningRate lr: Float, momentum mu: Float) {
        guard g.width > 0 else { return }
        let width = g.width
        w.withUnsafeMutableBufferPointer { wp in
            v.withUnsafeMutableBufferPointer { vp in
                g.values.withUnsafeBufferPointer { gp in
                    for (k, id) in g.rowIDs.enumerated() {
                        let wr = wp.baseAddress! + id * width, vr = vp.baseAddress! + id * width
                        let gr = gp.baseAddress! + k * width
                        for j in 0..<width {
                            let vj = mu * vr[j] - lr * gr[j]
                            vr[j] = vj
                            wr[j] += vj
                        }
                    }
                }
            }
        }
    }

    /// h ← ρ h + (1 − ρ) g² (ρ = 0, `accumulate` = true gives AdaGrad's h ← h + g²);
    /// w ← w − lr · g / (√h + ε).
    static func scaledBySquares(_ w: inout [Float], _ h: inout [Float], _ g: GradientRows, learningRate lr: Float,
                                decay rho: Float, accumulate: Bool, epsilon: Float) {
        guard g.width > 0 else { return }
        let width = g.width
        let keep = accumulate ? 1 : rho, add = accumulate ? 1 : 1 - rho
        w.withUnsafeMutableBufferPointer { wp in
            h.withUnsafeMutableBufferPointer { hp in
                g.values.withUnsafeBufferPointer { gp in
                    for (k, id) in g.rowIDs.enumerated() {
                        let wr = wp.baseAddress! + id * width, hr = hp.baseAddress! + id * width
                        let gr = gp.baseAddress! + k * width
                        for j in 0..<width {
                            let gj = gr[j]
                            let hj = keep * hr[j] + add * gj * gj
                            hr[j] = hj
                            wr[j] -= lr * gj / (hj.squareRoot() + epsilon)
                        }
                    }
                }
            }
        }
    }

    /// m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
    /// w ← w − lr · (m / c₁) / (√(v / c₂) + ε), with c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ.
    static func adam(_ w: inout [Float], _ m: inout [Float], _ v: inout [Float], _ g: GradientRows,
                     learningRate lr: Float, beta1: Float, beta2: Float, epsilon: Float,
                     correction1 c1: Float, correction2 c2: Float) {
        guard g.width > 0 else { return }
        let width = g.width
        let inverseC1 = 1 / c1, inverseC2 = 1 / c2
        w.withUnsafeMutableBufferPointer { wp in
            m.withUnsafeMutableBufferPointer { mp in
                v.withUnsafeMutableBufferPointer { vp in
                    g.values.withUnsafeBufferPointer { gp in
                        for (k, id) in g.rowIDs.enumerated() {
                            let wr = wp.baseAddress! + id * width, mr = mp.baseAddress! + id * width
                            let vr = vp.baseAddress! + id * width, gr = gp.baseAddress! + k * width
                            // Eight lanes at a time (the division and square root do not
                            // vectorise on their own), then the tail with the same formula.
                            typealias Float8 = SIMD8<Float>
                            var j = 0
                            while j + 8 <= width {
                                let gj = UnsafeRawPointer(gr + j).loadUnaligned(as: Float8.self)
                                let mj = beta1 * UnsafeRawPointer(mr + j).loadUnaligned(as: Float8.self) + (1 - beta1) * gj
                                let vj = beta2 * UnsafeRawPointer(vr + j).loadUnaligned(as: Float8.self) + (1 - beta2) * gj * gj
                                UnsafeMutableRawPointer(mr + j).storeBytes(of: mj, as: Float8.self)
                                UnsafeMutableRawPointer(vr + j).storeBytes(of: vj, as: Float8.self)
                                let w = UnsafeRawPointer(wr + j).loadUnaligned(as: Float8.self)
                                    - lr * (mj * inverseC1) / ((vj * inverseC2).squareRoot() + epsilon)
                                UnsafeMutableRawPointer(wr + j).storeBytes(of: w, as: Float8.self)
                                j += 8
                            }
                            while j < width {
                                let gj = gr[j]
                                let mj = beta1 * mr[j] + (1 - beta1) * gj
                                let vj = beta2 * vr[j] + (1 - beta2) * gj * gj
                                mr[j] = mj
                                vr[j] = vj
                                wr[j] -= lr * (mj * inverseC1) / ((vj * inverseC2).squareRoot() + epsilon)
                                j += 1
                            }
                        }
                    }
                }
            }
        }
    }
}
