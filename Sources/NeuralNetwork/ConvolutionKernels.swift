// Kernel file: the raw-buffer loops of convolution and pooling over NCHW image batches.
//
// Shapes (all buffers row-major Float32; S stride, P padding, FH x FW the window):
//   image batch x          [N, C, H, W]         element (n, c, y, x) at ((n * C + c) * H + y) * W + x
//   column matrix col      [C*FH*FW, N*OH*OW]   row (c, ky, kx) at (c * FH + ky) * FW + kx,
//                                               column (n, oy, ox) at (n * OH + oy) * OW + ox, holding
//                                               x[n, c, oy*S - P + ky, ox*S - P + kx] (0 outside the image)
//   filters                [FN, C*FH*FW]        the [FN, C, FH, FW] parameter, row f = filter f
//   filter rows            [FN, N*OH*OW]        the sgemm's product W · col, row f, column (n, oy, ox)
//   output / pooled y      [N, FN|C, OH, OW]    element (n, f, oy, ox) at ((n * F + f) * OH + oy) * OW + ox
//   max-pooling argmax     [N, C, OH, OW]       the flat index into x of each window's maximum
// with OH = (H + 2P - FH) / S + 1 and OW = (W + 2P - FW) / S + 1. Callers (Convolution,
// MaxPooling, AveragePooling) validate the shapes and the geometry before calling; kernels only
// index, and return early for empty batches (empty buffers have no base address).

/// The sizes of one sliding-window pass over an NCHW batch.
struct WindowShape {
    var batch: Int, channels: Int, height: Int, width: Int
    var windowHeight: Int, windowWidth: Int, stride: Int, padding: Int
    var outputHeight: Int, outputWidth: Int

    var inputCount: Int { batch * channels * height * width }
    var outputCount: Int { batch * channels * outputHeight * outputWidth }
    /// N·OH·OW, the window positions: the columns of the column matrix.
    var windowCount: Int { batch * outputHeight * outputWidth }
    /// C·FH·FW, the pixels under one window: the rows of the column matrix.
    var windowLength: Int { channels * windowHeight * windowWidth }

    /// The image rows the window of output row `oy` covers (clipped to the image).
    @inline(__always)
    func imageRows(ofOutputRow oy: Int) -> Range<Int> {
        let y0 = oy * stride - padding
        return max(y0, 0)..<min(y0 + windowHeight, height)
    }

    /// The image columns the window of output column `ox` covers (clipped to the image).
    @inline(__always)
    func imageColumns(ofOutputColumn ox: Int) -> Range<Int> {
        let x0 = ox * stride - padding
        return max(x0, 0)..<min(x0 + windowWidth, width)
    }
}

enum ConvolutionKernels {
    // MARK: im2col / col2im

    /// The column matrix `[C*FH*FW, N*OH*OW]` of `x` (zero where a window hangs over the padding).
    static func im2col(_ x: [Float], _ s: WindowShape) -> [Float] {
        var col: [Float] = []
        im2col(x, s, into: &col)
        return col
    }

    /// ``im2col(_:_:)`` into `col`, reusing its storage when it already has the right size (a
    /// layer passes back its previous column matrix, so that a training loop does not map and
    /// unmap megabytes per batch).
    static func im2col(_ x: [Float], _ s: WindowShape, into col: inout [Float]) {
        let count = s.windowLength * s.windowCount
        if col.count == count {
            col.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        } else {
            col = [Float](repeating: 0, count: count)
        }
        guard !col.isEmpty else { return }
        x.withUnsafeBufferPointer { xp in
            col.withUnsafeMutableBufferPointer { cp in
                // Gathering only reads the image.
                transfer(image: UnsafeMutablePointer(mutating: xp.baseAddress!), columns: cp.baseAddress!, s, gather: true)
            }
        }
    }

    /// The adjoint of ``im2col(_:_:)``: every column entry added back into the pixel it was read
    /// from (entries over the padding are dropped); returns `[N, C, H, W]`.
    static func col2im(_ col: [Float], _ s: WindowShape) -> [Float] {
        var x = [Float](repeating: 0, count: s.inputCount)
        guard !x.isEmpty, !col.isEmpty else { return x }
        col.withUnsafeBufferPointer { cp in
            x.withUnsafeMutableBufferPointer { xp in
                // Scattering only reads the columns.
                transfer(image: xp.baseAddress!, columns: UnsafeMutablePointer(mutating: cp.baseAddress!), s, gather: false)
            }
        }
        return x
    }

    /// The one walk over every (channel, ky, kx) row and every window whose pixel lies inside the
    /// image: `gather` copies image → columns (im2col), otherwise columns are added into the image
    /// (col2im). Entries over the padding are skipped either way (zero in a fresh column matrix).
    /// For each (n, oy) the in-image output columns ox form one range, so the inner loop is a
    /// contiguous copy for stride 1.
    @inline(__always)
    private static func transfer(image: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>,
                                 _ s: WindowShape, gather: Bool) {
        let (c, h, w) = (s.channels, s.height, s.width)
        let (fh, fw, stride, pad) = (s.windowHeight, s.windowWidth, s.stride, s.padding)
        let (oh, ow) = (s.outputHeight, s.outputWidth)
        let positions = oh * ow, rowLength = s.windowCount
        for ch in 0..<c {
            for ky in 0..<fh {
                for kx in 0..<fw {
                    let (low, high) = validOutputRange(kx, w, ow, stride, pad)
                    if low > high { continue }
                    let row = columns + ((ch * fh + ky) * fw + kx) * rowLength
                    for n in 0..<s.batch {
                        let plane = image + (n * c + ch) * h * w
                        for oy in 0..<oh {
                            let y = oy * stride - pad + ky
                            if y < 0 || y >= h { continue }
                            // line[ox * stride] is pixel (y, ox·S − P + kx); only ox in low...high is read.
                            let line = plane + y * w + kx - pad, entries = row + n * positions + oy * ow
                            if gather {
                                if stride == 1 {
                                    for ox in low...high { entries[ox] = line[ox] }
                                } else {
                                    for ox in low...high { entries[ox] = line[ox * stride] }
                                }
                            } else {
                                for ox in low...high { line[ox * stride] += entries[ox] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The output columns ox in `low...high` whose pixel `ox·S − P + kx` lies in `0..<width`
    /// (`low > high` when there is none).
    @inline(__always)
    private static func validOutputRange(_ kx: Int, _ width: Int, _ outputWidth: Int, _ stride: Int, _ pad: Int)
        -> (low: Int, high: Int) {
        let first = pad - kx, last = width - 1 + pad - kx
        let low = first <= 0 ? 0 : (first + stride - 1) / stride
        let high = last < 0 ? -1 : min(outputWidth - 1, last / stride)
        return (low, high)
    }

    // MARK: Layout between the sgemm's rows and NCHW

    /// `y[n, f, p] = rows[f, n * P + p] + bias[f]` for rows `[F, N*P]` (P = OH·OW); returns `[N, F, P]`.
    static func filterRowsToNCHW(_ rows: [Float], bias: [Float], batch: Int, positions: Int) -> [Float] {
        let f = bias.count
        var y = [Float](repeating: 0, count: batch * f * positions)
        guard !y.isEmpty else { return y }
        rows.withUnsafeBufferPointer { rp in
            bias.withUnsafeBufferPointer { bp in
                y.withUnsafeMutableBufferPointer { yp in
                    for k in 0..<f {
                        let b = bp[k]
                        for n in 0..<batch {
                            let src = rp.baseAddress! + (k * batch + n) * positions
                            let dst = yp.baseAddress! + (n * f + k) * positions
                            for p in 0..<positions { dst[p] = src[p] + b }
                        }
                    }
                }
            }
        }
        return y
    }

    /// The inverse layout: `rows[f, n * P + p] = y[n, f, p]` for y `[N, F, P]`; returns `[F, N*P]`.
    static func nchwToFilterRows(_ y: [Float], batch: Int, channels f: Int, positions: Int) -> [Float] {
        var rows = [Float](repeating: 0, count: batch * f * positions)
        guard !rows.isEmpty else { return rows }
        y.withUnsafeBufferPointer { yp in
            rows.withUnsafeMutableBufferPointer { rp in
                for k in 0..<f {
                    for n in 0..<batch {
                        let src = yp.baseAddress! + (n * f + k) * positions
                        let dst = rp.baseAddress! + (k * batch + n) * positions
                        for p in 0..<positions { dst[p] = src[p] }
                    }
                }
            }
        }
        return rows
    }

    // MARK: Pooling

    /// Max pooling: each output is the maximum of the window's in-image pixels (padding never
    /// wins); also returns the flat input index of every maximum (the first one on ties).
    static func maxPoolForward(_ x: [Float], _ s: WindowShape) -> (output: [Float], argmax: [Int]) {
        var y = [Float](repeating: 0, count: s.outputCount)
        var argmax = [Int](repeating: 0, count: s.outputCount)
        guard !y.isEmpty else { return (y, argmax) }
        let (h, w, oh, ow) = (s.height, s.width, s.outputHeight, s.outputWidth)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                argmax.withUnsafeMutableBufferPointer { ap in
                    var o = 0
                    for plane in 0..<(s.batch * s.channels) {
                        let base = plane * h * w
                        for oy in 0..<oh {
                            let rows = s.imageRows(ofOutputRow: oy)
                            for ox in 0..<ow {
                                let columns = s.imageColumns(ofOutputColumn: ox)
                                var best = -Float.infinity, bestIndex = base + rows.lowerBound * w + columns.lowerBound
                                for yy in rows {
                                    for xx in columns {
                                        let i = base + yy * w + xx
                                        if xp[i] > best { best = xp[i]; bestIndex = i }
                                    }
                                }
                                yp[o] = best
                                ap[o] = bestIndex
                                o += 1
                            }
                        }
                    }
                }
            }
        }
        return (y, argmax)
    }

    /// `dx[argmax[o]] += dy[o]` for every output o; returns `[N, C, H, W]`.
    static func maxPoolBackward(_ dy: [Float], argmax: [Int], inputCount: Int) -> [Float] {
        var dx = [Float](repeating: 0, count: inputCount)
        guard !dx.isEmpty else { return dx }
        dy.withUnsafeBufferPointer { gp in
            argmax.withUnsafeBufferPointer { ap in
                dx.withUnsafeMutableBufferPointer { dp in
                    for o in 0..<gp.count { dp[ap[o]] += gp[o] }
                }
            }
        }
        return dx
    }

    /// Average pooling: each output is the sum of the window's in-image pixels divided by the
    /// full window size FH·FW (padding counts as zeros, as in the seed's im2col pooling).
    static func averagePoolForward(_ x: [Float], _ s: WindowShape) -> [Float] {
        var y = [Float](repeating: 0, count: s.outputCount)
        guard !y.isEmpty else { return y }
        let (h, w, oh, ow) = (s.height, s.width, s.outputHeight, s.outputWidth)
        let inverseArea = 1 / Float(s.windowHeight * s.windowWidth)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                var o = 0
                for plane in 0..<(s.batch * s.channels) {
                    let base = plane * h * w
                    for oy in 0..<oh {
                        let rows = s.imageRows(ofOutputRow: oy)
                        for ox in 0..<ow {
                            let columns = s.imageColumns(ofOutputColumn: ox)
                            var total: Float = 0
                            for yy in rows {
                                for xx in columns { total += xp[base + yy * w + xx] }
                            }
                            yp[o] = total * inverseArea
                            o += 1
                        }
                    }
                }
            }
        }
        return y
    }

    /// The adjoint of ``averagePoolForward(_:_:)``: `dy[o] / (FH·FW)` added to every in-image
    /// pixel of window o; returns `[N, C, H, W]`.
    static func averagePoolBackward(_ dy: [Float], _ s: WindowShape) -> [Float] {
        var dx = [Float](repeating: 0, count: s.inputCount)
        guard !dx.isEmpty, !dy.isEmpty else { return dx }
        let (h, w, oh, ow) = (s.height, s.width, s.outputHeight, s.outputWidth)
        let inverseArea = 1 / Float(s.windowHeight * s.windowWidth)
        dy.withUnsafeBufferPointer { gp in
            dx.withUnsafeMutableBufferPointer { dp in
                var o = 0
                for plane in 0..<(s.batch * s.channels) {
                    let base = plane * h * w
                    for oy in 0..<oh {
                        let rows = s.imageRows(ofOutputRow: oy)
                        for ox in 0..<ow {
                            let columns = s.imageColumns(ofOutputColumn: ox)
                            let share = gp[o] * inverseArea
                            for yy in rows {
                                for xx in columns { dp[base + yy * w + xx] += share }
                            }
                            o += 1
                        }
                    }
                }
            }
        }
        return dx
    }
}
